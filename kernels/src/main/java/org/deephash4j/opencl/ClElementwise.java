package org.deephash4j.opencl;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.UnaryOp;
import org.jocl.cl_mem;

/** Launches {@code elementwise.cl}: fill, unary and its backward, binary, broadcast, affine, axpy. */
final class ClElementwise {
    private static final String FILE = "elementwise.cl";
    static final int LOCAL = 64;   // work-group size for one-element-per-item kernels

    private final OpenClBackend backend;

    ClElementwise(OpenClBackend backend) {
        this.backend = backend;
    }

    void fill(cl_mem out, long outOffset, float value, long n) {
        backend.kernel(FILE, "", "fill").arg(out).arg(outOffset).arg(value).arg(n).run1(n, LOCAL);
    }

    void unary(UnaryOp op, Storage out, Storage in, long n) {
        backend.kernel(FILE, "", "unary").arg(unaryCode(op)).arg(backend.mem(out, "unary")).arg(backend.mem(in, "unary"))
                .arg(n).run1(n, LOCAL);
    }

    void unaryBackward(UnaryOp op, Storage gradInput, Storage gradOutput, Storage input, Storage output, long n) {
        boolean readsInput = readsInput(op);
        boolean readsOutput = readsOutput(op);
        String call = "unaryBackward " + op;
        cl_mem gi = backend.mem(gradInput, call);
        cl_mem go = backend.mem(gradOutput, call);
        // a derivative that does not read x (or y) gets gradOutput in its place: the kernel ignores it
        cl_mem x = readsInput ? backend.mem(input, call) : go;
        cl_mem y = readsOutput ? backend.mem(output, call) : go;
        backend.kernel(FILE, "", "unary_backward").arg(unaryCode(op)).arg(gi).arg(go).arg(x).arg(y)
                .arg(readsInput ? 1 : 0).arg(readsOutput ? 1 : 0).arg(n).run1(n, LOCAL);
    }

    void binary(BinaryOp op, Storage out, Storage a, Storage b, long n) {
        backend.kernel(FILE, "", "binary").arg(binaryCode(op)).arg(backend.mem(out, "binary"))
                .arg(backend.mem(a, "binary")).arg(backend.mem(b, "binary")).arg(n).run1(n, LOCAL);
    }

    void broadcast(BinaryOp op, Storage out, Storage a, Storage b, int outer, int mid, int inner) {
        long n = (long) outer * mid * inner;
        backend.kernel(FILE, "", "broadcast").arg(binaryCode(op)).arg(backend.mem(out, "broadcast"))
                .arg(backend.mem(a, "broadcast")).arg(backend.mem(b, "broadcast")).arg(mid).arg(inner).arg(n)
                .run1(n, LOCAL);
    }

    void affine(Storage out, Storage in, float scale, float shift, long n) {
        backend.kernel(FILE, "", "affine").arg(backend.mem(out, "affine")).arg(backend.mem(in, "affine"))
                .arg(scale).arg(shift).arg(n).run1(n, LOCAL);
    }

    void axpy(Storage y, float alpha, Storage x, long n) {
        backend.kernel(FILE, "", "axpy").arg(backend.mem(y, "axpy")).arg(alpha).arg(backend.mem(x, "axpy")).arg(n)
                .run1(n, LOCAL);
    }

    /** The op code {@code elementwise.cl} defines for op. */
    static int unaryCode(UnaryOp op) {
        return switch (op) {
            case RELU -> 0;
            case SIGMOID -> 1;
            case TANH -> 2;
            case EXP -> 3;
            case LOG -> 4;
            case ABS -> 5;
            case SIGN -> 6;
            case SOFTPLUS -> 7;
            case LOG_COSH -> 8;
            case SQUARE -> 9;
            case NEG -> 10;
        };
    }

    static int binaryCode(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
        };
    }

    /** Whether op's derivative reads x (see {@link UnaryOp}). */
    static boolean readsInput(UnaryOp op) {
        return switch (op) {
            case RELU, LOG, ABS, SOFTPLUS, LOG_COSH, SQUARE -> true;
            case SIGMOID, TANH, EXP, SIGN, NEG -> false;
        };
    }

    /** Whether op's derivative reads y (see {@link UnaryOp}). */
    static boolean readsOutput(UnaryOp op) {
        return switch (op) {
            case SIGMOID, TANH, EXP -> true;
            case RELU, LOG, ABS, SOFTPLUS, LOG_COSH, SQUARE, SIGN, NEG -> false;
        };
    }
}
