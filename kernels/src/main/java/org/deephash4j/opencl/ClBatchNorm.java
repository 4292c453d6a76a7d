package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;

/**
 * Launches {@code batch_norm.cl}: per-channel statistics and backward sums (one work-group per
 * channel, a fixed reduction tree, so the same input gives the same bits), then the element-wise
 * normalisation and input gradient (one work-item per element).
 */
final class ClBatchNorm {
    private static final String FILE = "batch_norm.cl";
    private final OpenClBackend backend;
    private final int group;
    private final String options;

    ClBatchNorm(OpenClBackend backend) {
        this.backend = backend;
        // a power of two the device accepts; 128 keeps a GPU busy with ResNet's 64 to 512 channels
        int g = 128;
        while (g > backend.device().maxWorkGroupSize()) g /= 2;
        this.group = Math.max(g, 1);
        this.options = "-DGROUP=" + group;
    }

    void trainingForward(Storage output, Storage mean, Storage variance, Storage input, Storage weight, Storage bias,
                         float eps, int batch, int channels, int spatial) {
        String op = "batchNormTrainingForward";
        backend.kernel(FILE, options, "batch_norm_statistics").arg(backend.mem(mean, op))
                .arg(backend.mem(variance, op)).arg(backend.mem(input, op)).arg(batch).arg(channels).arg(spatial)
                .run1((long) channels * group, group);
        forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
    }

    void forward(Storage output, Storage input, Storage mean, Storage variance, Storage weight, Storage bias, float eps,
                 int batch, int channels, int spatial) {
        String op = "batchNormForward";
        backend.kernel(FILE, options, "batch_norm_normalize").arg(backend.mem(output, op)).arg(backend.mem(input, op))
                .arg(backend.mem(mean, op)).arg(backend.mem(variance, op)).arg(backend.mem(weight, op))
                .arg(backend.mem(bias, op)).arg(eps).arg(batch).arg(channels).arg(spatial)
                .run1((long) batch * channels * spatial, ClElementwise.LOCAL);
    }

    void backward(Storage gradInput, Storage gradWeight, Storage gradBias, Storage gradOutput, Storage input,
                  Storage mean, Storage variance, Storage weight, float eps, boolean batchStatistics, int batch,
                  int channels, int spatial) {
        String op = "batchNormBackward";
        backend.kernel(FILE, options, "batch_norm_backward_reduce").arg(backend.mem(gradWeight, op))
                .arg(backend.mem(gradBias, op)).arg(backend.mem(gradOutput, op)).arg(backend.mem(input, op))
                .arg(backend.mem(mean, op)).arg(backend.mem(variance, op)).arg(eps).arg(batch).arg(channels)
                .arg(spatial).run1((long) channels * group, group);
        backend.kernel(FILE, options, "batch_norm_backward_data").arg(backend.mem(gradInput, op))
                .arg(backend.mem(gradOutput, op)).arg(backend.mem(input, op)).arg(backend.mem(mean, op))
                .arg(backend.mem(variance, op)).arg(backend.mem(weight, op)).arg(backend.mem(gradWeight, op))
                .arg(backend.mem(gradBias, op)).arg(eps).arg(batchStatistics ? 1 : 0).arg(batch).arg(channels)
                .arg(spatial).run1((long) batch * channels * spatial, ClElementwise.LOCAL);
    }
}
