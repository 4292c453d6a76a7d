package org.deephash4j.hashing;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.UnaryOp;

/**
 * A minimal scalar backend for the hashing tests while the CPU backend is being written on
 * another branch: only the kernels the losses use (gemm, element-wise, sum, copies).
 */
final class HostBackend implements Backend {
    static final HostBackend INSTANCE = new HostBackend();

    static final class HostStorage implements Storage {
        float[] data;

        HostStorage(long n) {
            data = new float[(int) n];
        }

        @Override public Backend backend() { return INSTANCE; }
        @Override public long size() { return data.length; }
        @Override public boolean isClosed() { return data == null; }
        @Override public void close() { data = null; }
    }

    private static float[] a(Storage s) {
        return ((HostStorage) s).data;
    }

    @Override public String name() { return "host-test"; }
    @Override public String deviceName() { return "hashing test backend"; }
    @Override public Storage allocate(long size) { return new HostStorage(size); }

    @Override public void copyIn(Storage dst, long dstOffset, float[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, a(dst), (int) dstOffset, length);
    }

    @Override public void copyOut(float[] dst, int dstOffset, Storage src, long srcOffset, int length) {
        System.arraycopy(a(src), (int) srcOffset, dst, dstOffset, length);
    }

    @Override public void copy(Storage dst, long dstOffset, Storage src, long srcOffset, long length) {
        System.arraycopy(a(src), (int) srcOffset, a(dst), (int) dstOffset, (int) length);
    }

    @Override public void fill(Storage out, float value, long n) {
        java.util.Arrays.fill(a(out), 0, (int) n, value);
    }

    @Override public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage as, long aOff,
                               Storage bs, long bOff, float beta, Storage cs, long cOff) {
        float[] A = a(as), B = a(bs), C = a(cs);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? A[(int) aOff + p * m + i] : A[(int) aOff + i * k + p];
                    float y = transB ? B[(int) bOff + j * k + p] : B[(int) bOff + p * n + j];
                    s += x * y;
                }
                int idx = (int) cOff + i * n + j;
                C[idx] = beta == 0 ? alpha * s : alpha * s + beta * C[idx];
            }
        }
    }

    @Override public void conv2dForward(Storage o, Storage i, Storage w, Storage b, Conv2dGeometry g) { throw new UnsupportedOperationException(); }
    @Override public void conv2dBackwardData(Storage gi, Storage go, Storage w, Conv2dGeometry g) { throw new UnsupportedOperationException(); }
    @Override public void conv2dBackwardFilter(Storage gw, Storage gb, Storage go, Storage i, Conv2dGeometry g) { throw new UnsupportedOperationException(); }
    @Override public void maxPool2dForward(Storage o, Storage i, Pool2dGeometry g) { throw new UnsupportedOperationException(); }
    @Override public void maxPool2dBackward(Storage gi, Storage go, Storage i, Storage o, Pool2dGeometry g) { throw new UnsupportedOperationException(); }
    @Override public void avgPool2dForward(Storage o, Storage i, Pool2dGeometry g) { throw new UnsupportedOperationException(); }
    @Override public void avgPool2dBackward(Storage gi, Storage go, Pool2dGeometry g) { throw new UnsupportedOperationException(); }

    @Override public void unary(UnaryOp op, Storage out, Storage in, long n) {
        float[] o = a(out), x = a(in);
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double y = switch (op) {
                case RELU -> Math.max(v, 0);
                case SIGMOID -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
                case TANH -> Math.tanh(v);
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case ABS -> Math.abs(v);
                case SIGN -> v >= 0 ? 1 : -1;
                case SOFTPLUS -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
                case LOG_COSH -> Math.abs(v) + Math.log1p(Math.exp(-2 * Math.abs(v))) - Math.log(2);
                case SQUARE -> v * v;
                case NEG -> -v;
            };
            o[i] = (float) y;
        }
    }

    @Override public void unaryBackward(UnaryOp op, Storage gi, Storage go, Storage in, Storage out, long n) {
        float[] g = a(gi), d = a(go), x = a(in), y = out == null ? null : a(out);
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double deriv = switch (op) {
                case RELU -> v > 0 ? 1 : 0;
                case SIGMOID -> y[i] * (1 - y[i]);
                case TANH -> 1 - y[i] * y[i];
                case EXP -> y[i];
                case LOG -> 1 / v;
                case ABS -> Math.signum(v);
                case SIGN -> 0;
                case SOFTPLUS -> 1 / (1 + Math.exp(-v));
                case LOG_COSH -> Math.tanh(v);
                case SQUARE -> 2 * v;
                case NEG -> -1;
            };
            g[i] = (float) (d[i] * deriv);
        }
    }

    @Override public void binary(BinaryOp op, Storage out, Storage as, Storage bs, long n) {
        float[] o = a(out), x = a(as), y = a(bs);
        for (int i = 0; i < n; i++) {
            o[i] = switch (op) {
                case ADD -> x[i] + y[i];
                case SUB -> x[i] - y[i];
                case MUL -> x[i] * y[i];
                case DIV -> x[i] / y[i];
            };
        }
    }

    @Override public void broadcast(BinaryOp op, Storage out, Storage as, Storage bs, int outer, int mid, int inner) {
        float[] o = a(out), x = a(as), y = a(bs);
        for (int p = 0; p < outer; p++) {
            for (int m = 0; m < mid; m++) {
                for (int i = 0; i < inner; i++) {
                    int idx = (p * mid + m) * inner + i;
                    o[idx] = switch (op) {
                        case ADD -> x[idx] + y[m];
                        case SUB -> x[idx] - y[m];
                        case MUL -> x[idx] * y[m];
                        case DIV -> x[idx] / y[m];
                    };
                }
            }
        }
    }

    @Override public void affine(Storage out, Storage in, float scale, float shift, long n) {
        float[] o = a(out), x = a(in);
        for (int i = 0; i < n; i++) o[i] = scale * x[i] + shift;
    }

    @Override public void axpy(Storage y, float alpha, Storage x, long n) {
        float[] o = a(y), v = a(x);
        for (int i = 0; i < n; i++) o[i] += alpha * v[i];
    }

    @Override public void sum(Storage out, Storage in, int outer, int mid, int inner) {
        float[] o = a(out), x = a(in);
        for (int p = 0; p < outer; p++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int m = 0; m < mid; m++) s += x[(p * mid + m) * inner + i];
                o[p * inner + i] = (float) s;
            }
        }
    }

    @Override public void softmaxCrossEntropy(Storage loss, Storage probs, Storage logits, Storage labels, int n, int classes) {
        float[] l = a(loss), p = a(probs), z = a(logits), y = a(labels);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, z[i * classes + c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.exp(z[i * classes + c] - max);
            for (int c = 0; c < classes; c++) p[i * classes + c] = (float) (Math.exp(z[i * classes + c] - max) / sum);
            total -= z[i * classes + (int) y[i]] - max - Math.log(sum);
        }
        l[0] = (float) (total / n);
    }

    @Override public void softmaxCrossEntropyBackward(Storage gl, Storage probs, Storage labels, Storage gradLoss, int n, int classes) {
        float[] g = a(gl), p = a(probs), y = a(labels);
        float scale = a(gradLoss)[0] / n;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) g[i * classes + c] = scale * (p[i * classes + c] - (c == (int) y[i] ? 1 : 0));
        }
    }
    @Override public void dropoutMask(Storage mask, float p, long seed, long n) { throw new UnsupportedOperationException(); }
    @Override public void sgdStep(Storage p, Storage g, Storage v, float lr, float mom, float wd, long n) { throw new UnsupportedOperationException(); }
    @Override public void adamStep(Storage ps, Storage gs, Storage ms, Storage vs, float lr, float b1, float b2, float eps, float wd, int step, long n) {
        float[] p = a(ps), g = a(gs), m = a(ms), v = a(vs);
        double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < n; i++) {
            float gi = g[i] + wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            p[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
        }
    }
}
