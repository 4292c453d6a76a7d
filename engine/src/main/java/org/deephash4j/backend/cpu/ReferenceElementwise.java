package org.deephash4j.backend.cpu;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;

/**
 * Reference element-wise kernels: unary functions and their derivatives ({@link UnaryOp}),
 * binary functions ({@link BinaryOp}), a broadcast over the middle axis, affine and axpy.
 *
 * <p>Transcendental functions are evaluated in double by {@link Math} and rounded once to
 * float32; everything else is float32 arithmetic. Output arrays may be the input arrays.
 */
final class ReferenceElementwise {
    private static final double LN2 = Math.log(2.0);

    private ReferenceElementwise() {
    }

    /** out[i] = f(in[i]) for i in [0, n). */
    static void unary(UnaryOp op, float[] out, float[] in, int n) {
        for (int i = 0; i < n; i++) out[i] = apply(op, in[i]);
    }

    /** y = f(x) for one element, with the exact semantics listed in {@link UnaryOp}. */
    static float apply(UnaryOp op, float x) {
        return switch (op) {
            case RELU -> Math.max(x, 0f);               // NaN stays NaN; -0 becomes +0
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case ABS -> Math.abs(x);
            case SIGN -> x >= 0f ? 1f : -1f;            // sign(0) = +1, the hashing convention
            case SOFTPLUS -> (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x))));
            case LOG_COSH -> (float) (Math.abs((double) x) + Math.log1p(Math.exp(-2.0 * Math.abs((double) x))) - LN2);
            case SQUARE -> x * x;
            case NEG -> -x;
        };
    }

    /**
     * sigmoid(x) = 1 / (1 + e^-x) for x &gt;= 0 and e^x / (1 + e^x) for x &lt; 0: the exponent is
     * never positive, so neither form overflows.
     */
    static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    /**
     * gradInput[i] = gradOutput[i] · f'(x) with x = input[i], y = output[i]; each op reads the
     * one its derivative is written in (see {@link UnaryOp}); the other array may be null.
     */
    static void unaryBackward(UnaryOp op, float[] gradInput, float[] gradOutput, float[] input, float[] output, int n) {
        for (int i = 0; i < n; i++) {
            float g = gradOutput[i];
            gradInput[i] = switch (op) {
                case RELU -> input[i] > 0f ? g : 0f;
                case SIGMOID -> g * output[i] * (1f - output[i]);
                case TANH -> g * (1f - output[i] * output[i]);
                case EXP -> g * output[i];
                case LOG -> g / input[i];
                case ABS -> g * Math.signum(input[i]);  // 0 at x = 0
                case SIGN -> 0f;
                case SOFTPLUS -> g * sigmoid(input[i]);
                case LOG_COSH -> g * (float) Math.tanh(input[i]);
                case SQUARE -> g * 2f * input[i];
                case NEG -> -g;
            };
        }
    }

    /** out[i] = a[i] op b[i] for i in [0, n). */
    static void binary(BinaryOp op, float[] out, float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) out[i] = apply(op, a[i], b[i]);
    }

    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    /** out[o, m, i] = a[o, m, i] op b[m]; a and out hold outer·mid·inner elements, b holds mid. */
    static void broadcast(BinaryOp op, float[] out, float[] a, float[] b, int outer, int mid, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int m = 0; m < mid; m++) {
                int base = (o * mid + m) * inner;
                for (int i = 0; i < inner; i++) out[base + i] = apply(op, a[base + i], b[m]);
            }
        }
    }

    /** out[i] = scale · in[i] + shift for i in [0, n). */
    static void affine(float[] out, float[] in, float scale, float shift, int n) {
        for (int i = 0; i < n; i++) out[i] = scale * in[i] + shift;
    }

    /** y[i] += alpha · x[i] for i in [0, n). */
    static void axpy(float[] y, float alpha, float[] x, int n) {
        for (int i = 0; i < n; i++) y[i] += alpha * x[i];
    }
}
