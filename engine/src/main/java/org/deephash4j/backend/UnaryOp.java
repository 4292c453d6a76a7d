package org.deephash4j.backend;

/**
 * The element-wise functions y = f(x) every backend implements, with the derivative that
 * {@link Backend#unaryBackward} applies. Each derivative is written in terms of x or y,
 * whichever is cheaper and stable.
 */
public enum UnaryOp {
    /** y = max(x, 0); dy/dx = 1 if x &gt; 0 else 0. */
    RELU,
    /** y = 1 / (1 + e^-x), evaluated without overflow for large |x|; dy/dx = y (1 - y). */
    SIGMOID,
    /** y = tanh(x); dy/dx = 1 - y^2. */
    TANH,
    /** y = e^x; dy/dx = y. */
    EXP,
    /** y = ln x; dy/dx = 1 / x. */
    LOG,
    /** y = |x|; dy/dx = sign(x) (0 at 0). */
    ABS,
    /** y = +1 if x &gt;= 0 else -1 (the hashing convention: sign(0) = +1); dy/dx = 0. */
    SIGN,
    /** y = ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|) (stable form); dy/dx = sigmoid(x). */
    SOFTPLUS,
    /** y = ln cosh(x) = |x| + ln(1 + e^-2|x|) - ln 2 (stable form); dy/dx = tanh(x). */
    LOG_COSH,
    /** y = x^2; dy/dx = 2x. */
    SQUARE,
    /** y = -x; dy/dx = -1. */
    NEG
}
