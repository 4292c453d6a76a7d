package org.deephash4j.backend;

/** The element-wise binary functions out = a op b every backend implements. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV
}
