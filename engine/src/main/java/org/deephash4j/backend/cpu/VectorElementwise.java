package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;

/**
 * Element-wise kernels, reductions and optimizer steps on whole vectors: the same contracts as
 * {@code ReferenceElementwise}, {@code ReferenceReductions} and {@code ReferenceOptimizerSteps}.
 *
 * <p>Each loop is the usual vector body plus a scalar tail. Arrays longer than
 * {@link #CHUNK} floats are cut into fixed chunks spread over {@link CpuThreads} (each element
 * has one writer, so the bits do not depend on the thread count). {@link #unary} and
 * {@link #unaryBackward} cover the functions with a cheap vector form and return false for the
 * others (LOG, SOFTPLUS, LOG_COSH), which the caller then runs on the reference kernel.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    /** Floats per task: 64 KiB of input, so that a task outweighs its hand-off. */
    static final int CHUNK = 1 << 14;

    private VectorElementwise() {
    }

    private interface Range {
        void run(int from, int to);
    }

    private static void chunked(int n, Range body) {
        if (n <= 2 * CHUNK) {
            body.run(0, n);
            return;
        }
        int tasks = (n + CHUNK - 1) / CHUNK;
        CpuThreads.forEach(tasks, t -> body.run(t * CHUNK, Math.min(n, (t + 1) * CHUNK)));
    }

    /**
     * out[i] = f(in[i]); returns false (and writes nothing) for a function without a vector form here.
     * EXP, TANH and SIGMOID have none on purpose: {@code lanewise(EXP/TANH)} runs a vendor math library
     * once the JIT has compiled it and a Java fallback before, and the two can differ in the last bit,
     * so the same seed would not give the same training run. The reference kernel's Math.exp/tanh
     * give the same bits at every tier; these functions act on small hash-layer tensors only.
     */
    static boolean unary(UnaryOp op, float[] out, float[] in, int n) {
        switch (op) {
            case RELU, NEG, SQUARE, ABS, SIGN -> {
                chunked(n, (from, to) -> unaryRange(op, out, in, from, to));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void unaryRange(UnaryOp op, float[] out, float[] in, int from, int to) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(F, in, i);
            FloatVector y = switch (op) {
                case RELU -> x.max(zero);
                case NEG -> x.neg();
                case SQUARE -> x.mul(x);
                case ABS -> x.abs();
                case SIGN -> one.blend(one.neg(), x.compare(VectorOperators.LT, 0f));
                default -> throw new IllegalStateException("unary: no vector form for " + op);
            };
            y.intoArray(out, i);
        }
        for (; i < to; i++) {
            float x = in[i];
            out[i] = switch (op) {
                case RELU -> Math.max(x, 0f);
                case NEG -> -x;
                case SQUARE -> x * x;
                case ABS -> Math.abs(x);
                case SIGN -> x >= 0f ? 1f : -1f;
                default -> throw new IllegalStateException("unary: no vector form for " + op);
            };
        }
    }

    /** gradInput[i] = gradOutput[i] · f'(x); returns false for a function without a vector form here. */
    static boolean unaryBackward(UnaryOp op, float[] gradInput, float[] gradOutput, float[] input, float[] output,
                                 int n) {
        switch (op) {
            case RELU, NEG, SQUARE, ABS, SIGN, EXP, TANH, SIGMOID -> {
                chunked(n, (from, to) -> unaryBackwardRange(op, gradInput, gradOutput, input, output, from, to));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void unaryBackwardRange(UnaryOp op, float[] gradInput, float[] gradOutput, float[] input,
                                           float[] output, int from, int to) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, gradOutput, i);
            FloatVector d = switch (op) {
                case RELU -> zero.blend(g, FloatVector.fromArray(F, input, i).compare(VectorOperators.GT, 0f));
                case NEG -> g.neg();
                case SQUARE -> g.mul(FloatVector.fromArray(F, input, i).mul(2f));
                case ABS -> {
                    FloatVector x = FloatVector.fromArray(F, input, i);
                    VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
                    VectorMask<Float> neg = x.compare(VectorOperators.LT, 0f);
                    yield zero.blend(g, pos).blend(g.neg(), neg);
                }
                case SIGN -> zero;
                case EXP -> g.mul(FloatVector.fromArray(F, output, i));
                case TANH -> {
                    FloatVector y = FloatVector.fromArray(F, output, i);
                    yield g.mul(one.sub(y.mul(y)));
                }
                case SIGMOID -> {
                    FloatVector y = FloatVector.fromArray(F, output, i);
                    yield g.mul(y.mul(one.sub(y)));
                }
                default -> throw new IllegalStateException("unaryBackward: no vector form for " + op);
            };
            d.intoArray(gradInput, i);
        }
        for (; i < to; i++) {
            float g = gradOutput[i];
            gradInput[i] = switch (op) {
                case RELU -> input[i] > 0f ? g : 0f;
                case NEG -> -g;
                case SQUARE -> g * (2f * input[i]);
                case ABS -> input[i] > 0f ? g : input[i] < 0f ? -g : 0f;
                case SIGN -> 0f;
                case EXP -> g * output[i];
                case TANH -> g * (1f - output[i] * output[i]);
                case SIGMOID -> g * (output[i] * (1f - output[i]));
                default -> throw new IllegalStateException("unaryBackward: no vector form for " + op);
            };
        }
    }

    /** out[i] = a[i] op b[i]. */
    static void binary(BinaryOp op, float[] out, float[] a, float[] b, int n) {
        chunked(n, (from, to) -> {
            int i = from;
            int bound = from + F.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(F, a, i);
                FloatVector y = FloatVector.fromArray(F, b, i);
                apply(op, x, y).intoArray(out, i);
            }
            for (; i < to; i++) {
                out[i] = apply(op, a[i], b[i]);
            }
        });
    }

    /** out[o, m, i] = a[o, m, i] op b[m]. */
    static void broadcast(BinaryOp op, float[] out, float[] a, float[] b, int outer, int mid, int inner) {
        if (inner == 1) {
            // A bias over the columns of a matrix: b is one row, applied to every row.
            int tasks = (long) outer * mid > 2 * CHUNK ? Math.min(outer, 8) : 1;
            int per = (outer + tasks - 1) / tasks;
            CpuThreads.forEach(tasks, part -> {
                for (int o = part * per; o < Math.min(outer, (part + 1) * per); o++) {
                    int row = o * mid;
                    int j = 0;
                    for (; j < F.loopBound(mid); j += L) {
                        apply(op, FloatVector.fromArray(F, a, row + j), FloatVector.fromArray(F, b, j))
                                .intoArray(out, row + j);
                    }
                    for (; j < mid; j++) {
                        out[row + j] = apply(op, a[row + j], b[j]);
                    }
                }
            });
            return;
        }
        // A bias over the channels of an NCHW tensor: one scalar per (o, m) run of inner floats.
        CpuThreads.forEach(outer, o -> {
            for (int m = 0; m < mid; m++) {
                int at = (o * mid + m) * inner;
                float s = b[m];
                FloatVector sv = FloatVector.broadcast(F, s);
                int j = 0;
                for (; j < F.loopBound(inner); j += L) {
                    apply(op, FloatVector.fromArray(F, a, at + j), sv).intoArray(out, at + j);
                }
                for (; j < inner; j++) {
                    out[at + j] = apply(op, a[at + j], s);
                }
            }
        });
    }

    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
        };
    }

    private static float apply(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    /** out[i] = scale · in[i] + shift. */
    static void affine(float[] out, float[] in, float scale, float shift, int n) {
        chunked(n, (from, to) -> {
            int i = from;
            int bound = from + F.loopBound(to - from);
            FloatVector sv = FloatVector.broadcast(F, scale);
            FloatVector tv = FloatVector.broadcast(F, shift);
            for (; i < bound; i += L) {
                FloatVector.fromArray(F, in, i).fma(sv, tv).intoArray(out, i);
            }
            for (; i < to; i++) {
                out[i] = Math.fma(in[i], scale, shift);
            }
        });
    }

    /** y[i] += alpha · x[i]. */
    static void axpy(float[] y, float alpha, float[] x, int n) {
        chunked(n, (from, to) -> {
            int i = from;
            int bound = from + F.loopBound(to - from);
            FloatVector av = FloatVector.broadcast(F, alpha);
            for (; i < bound; i += L) {
                FloatVector.fromArray(F, x, i).fma(av, FloatVector.fromArray(F, y, i)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = Math.fma(x[i], alpha, y[i]);
            }
        });
    }

    /**
     * out[o, i] = Σ_m in[o, m, i]. With inner = 1 each row is summed by lanes (lane j holds the
     * terms m ≡ j mod lanes, then the lanes are added), so the order differs from the reference's
     * and the test tolerance grows with mid; otherwise rows are added in m order, vectorised over i.
     */
    static void sum(float[] out, float[] in, int outer, int mid, int inner) {
        if (inner == 1) {
            CpuThreads.forEach(outer, o -> out[o] = sumRow(in, o * mid, mid));
            return;
        }
        CpuThreads.forEach(outer, o -> {
            int dst = o * inner;
            System.arraycopy(in, o * mid * inner, out, dst, inner);
            for (int m = 1; m < mid; m++) {
                VectorConv2d.addInto(out, dst, in, (o * mid + m) * inner, inner);
            }
        });
    }

    private static float sumRow(float[] x, int off, int n) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, off + i));
            acc1 = acc1.add(FloatVector.fromArray(F, x, off + i + L));
        }
        for (; i < F.loopBound(n); i += L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, off + i));
        }
        float s = VectorLaneSum.inOrder(acc0.add(acc1));
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /** SGD with momentum and weight decay, PyTorch's form (see {@code Backend.sgdStep}). */
    static void sgdStep(float[] param, float[] grad, float[] velocity, float lr, float momentum, float weightDecay,
                        int n) {
        chunked(n, (from, to) -> {
            int i = from;
            int bound = from + F.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector p = FloatVector.fromArray(F, param, i);
                FloatVector g = FloatVector.fromArray(F, grad, i).add(p.mul(weightDecay));
                if (momentum > 0f) {
                    g = FloatVector.fromArray(F, velocity, i).mul(momentum).add(g);
                    g.intoArray(velocity, i);
                }
                p.sub(g.mul(lr)).intoArray(param, i);
            }
            for (; i < to; i++) {
                float g = grad[i] + weightDecay * param[i];
                if (momentum > 0f) {
                    g = momentum * velocity[i] + g;
                    velocity[i] = g;
                }
                param[i] -= lr * g;
            }
        });
    }
}
