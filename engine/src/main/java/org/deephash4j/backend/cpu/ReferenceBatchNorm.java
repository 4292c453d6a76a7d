package org.deephash4j.backend.cpu;

/**
 * Reference batch normalisation over x {@code [N, C, S]} (S = H·W positions), per channel c,
 * with M = N·S values per channel (Ioffe and Szegedy 2015, Algorithm 1; PyTorch's
 * {@code BatchNorm2d}):
 * <pre>
 *   mean[c]     = (1/M) Σ_{n,s} x[n, c, s]
 *   variance[c] = (1/M) Σ_{n,s} (x[n, c, s] - mean[c])²               (biased)
 *   invStd[c]   = 1 / sqrt(variance[c] + eps)
 *   xhat        = (x - mean[c]) · invStd[c]
 *   y           = xhat · weight[c] + bias[c]
 * </pre>
 * Backward, with dy = gradOutput: {@code gradBias[c] = Σ dy}, {@code gradWeight[c] = Σ dy · xhat};
 * with the batch's statistics (which depend on x)
 * {@code dx = weight[c] · invStd[c] · (dy - gradBias[c]/M - xhat · gradWeight[c]/M)}, with fixed
 * statistics {@code dx = weight[c] · invStd[c] · dy}.
 *
 * <p>The statistics and the two backward sums are accumulated in double, in order n, s, and
 * rounded once to float32 (two passes: the mean, then the squared deviations from it), so the
 * reference is the accurate answer the fast kernels are measured against. The element-wise
 * parts are float32.
 */
final class ReferenceBatchNorm {
    private ReferenceBatchNorm() {
    }

    static void trainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                float[] bias, float eps, int batch, int channels, int spatial) {
        double count = (double) batch * spatial;
        for (int c = 0; c < channels; c++) {
            double sum = 0.0;
            for (int n = 0; n < batch; n++) {
                int at = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) sum += input[at + s];
            }
            float m = (float) (sum / count);
            double squares = 0.0;
            for (int n = 0; n < batch; n++) {
                int at = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    double d = input[at + s] - (double) m;
                    squares += d * d;
                }
            }
            mean[c] = m;
            variance[c] = (float) (squares / count);
        }
        forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
    }

    static void forward(float[] output, float[] input, float[] mean, float[] variance, float[] weight, float[] bias,
                        float eps, int batch, int channels, int spatial) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                float m = mean[c];
                float scale = invStd(variance[c], eps) * weight[c];
                float shift = bias[c];
                int at = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) output[at + s] = (input[at + s] - m) * scale + shift;
            }
        }
    }

    static void backward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                         float[] mean, float[] variance, float[] weight, float eps, boolean batchStatistics,
                         int batch, int channels, int spatial) {
        double count = (double) batch * spatial;
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float invStd = invStd(variance[c], eps);
            double sumDy = 0.0;
            double sumDyXhat = 0.0;
            for (int n = 0; n < batch; n++) {
                int at = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    float dy = gradOutput[at + s];
                    sumDy += dy;
                    sumDyXhat += dy * (double) ((input[at + s] - m) * invStd);
                }
            }
            gradBias[c] = (float) sumDy;
            gradWeight[c] = (float) sumDyXhat;
            float scale = weight[c] * invStd;
            float meanDy = batchStatistics ? (float) (sumDy / count) : 0f;
            float meanDyXhat = batchStatistics ? (float) (sumDyXhat / count) : 0f;
            for (int n = 0; n < batch; n++) {
                int at = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    float xhat = (input[at + s] - m) * invStd;
                    gradInput[at + s] = (gradOutput[at + s] - meanDy - xhat * meanDyXhat) * scale;
                }
            }
        }
    }

    /** 1 / sqrt(variance + eps) in float32 (the square root correctly rounded). */
    static float invStd(float variance, float eps) {
        return 1f / (float) Math.sqrt(variance + eps);
    }
}
