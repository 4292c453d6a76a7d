package org.deephash4j.opencl;

import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

/**
 * Launches {@code conv2d.cl}, by one of two algorithms with the same results:
 * <ul>
 *   <li>{@code direct}: one work-item per output element (forward), per input element (backward
 *       data, a gather with no atomics), per weight element (backward filter) and per channel (bias);</li>
 *   <li>{@code im2col}: the whole batch unfolded into columns col [C·KH·KW, N·OH·OW] (scratch
 *       memory), then one tiled GEMM per pass: forward out' = W · col, backward data
 *       gradCol = Wᵀ · gradOut' folded back by col2im, backward filter gradW = gradOut' · colᵀ;
 *       out' is [OC, N·OH·OW], permuted to and from NCHW by small kernels.</li>
 * </ul>
 * {@code -Ddeephash.opencl.conv=direct|im2col} picks one; the default is {@link #DEFAULT}, the
 * one ClConv2dBenchmark measured faster (see {@link #DEFAULT}).
 */
final class ClConv2d {
    /**
     * Direct: on PoCL (2 shared cores) ClConv2dBenchmark measured it 1.5 to 7 times faster than
     * im2col for LeNet's layers at batch 128, except conv2's backward data; not yet measured on a GPU.
     */
    static final String DEFAULT = "direct";
    private static final String FILE = "conv2d.cl";

    private final OpenClBackend backend;
    private boolean im2col;

    ClConv2d(OpenClBackend backend) {
        this.backend = backend;
        String algorithm = System.getProperty("deephash.opencl.conv", DEFAULT);
        if (!algorithm.equals("direct") && !algorithm.equals("im2col")) {
            throw new IllegalArgumentException("deephash.opencl.conv = '" + algorithm + "'; expected direct or im2col");
        }
        this.im2col = algorithm.equals("im2col");
    }

    /** {@code direct} or {@code im2col}. */
    String algorithm() {
        return im2col ? "im2col" : "direct";
    }

    /** Switches the algorithm (tests run both on one backend). */
    void useIm2col(boolean on) {
        im2col = on;
    }

    void forward(Storage output, Storage input, Storage weight, Storage bias, Conv2dGeometry g) {
        String op = "conv2dForward";
        if (im2col) {
            cl_mem col = unfold(backend.mem(input, op), g);
            long cols = (long) g.batch() * g.outHeight() * g.outWidth();
            cl_mem product = backend.scratch().get(ClScratch.CONV_PRODUCT, g.outChannels() * cols);
            backend.gemm().gemm(false, false, g.outChannels(), (int) cols, rows(g), 1f, backend.mem(weight, op), 0,
                    col, 0, 0f, product, 0);
            backend.kernel(FILE, "", "channels_first_to_batch_first").arg(backend.mem(output, op)).arg(product)
                    .arg(backend.mem(bias != null ? bias : weight, op)).arg(bias != null ? 1 : 0)
                    .arg(g.batch()).arg(g.outChannels()).arg(g.outHeight() * g.outWidth())
                    .run1(g.outputSize(), ClElementwise.LOCAL);
            return;
        }
        ClKernel k = backend.kernel(FILE, "", "conv2d_forward").arg(backend.mem(output, op))
                .arg(backend.mem(input, op)).arg(backend.mem(weight, op))
                .arg(backend.mem(bias != null ? bias : weight, op)).arg(bias != null ? 1 : 0);
        sizes(k, g).run1(g.outputSize(), ClElementwise.LOCAL);
    }

    void backwardData(Storage gradInput, Storage gradOutput, Storage weight, Conv2dGeometry g) {
        String op = "conv2dBackwardData";
        if (im2col) {
            long cols = (long) g.batch() * g.outHeight() * g.outWidth();
            cl_mem product = channelsFirst(backend.mem(gradOutput, op), g);
            cl_mem gradCol = backend.scratch().get(ClScratch.CONV_COLUMNS, rows(g) * cols);
            backend.gemm().gemm(true, false, rows(g), (int) cols, g.outChannels(), 1f, backend.mem(weight, op), 0,
                    product, 0, 0f, gradCol, 0);
            ClKernel k = backend.kernel(FILE, "", "col2im").arg(backend.mem(gradInput, op)).arg(gradCol);
            im2colSizes(k, g).run1(g.inputSize(), ClElementwise.LOCAL);
            return;
        }
        ClKernel k = backend.kernel(FILE, "", "conv2d_backward_data").arg(backend.mem(gradInput, op))
                .arg(backend.mem(gradOutput, op)).arg(backend.mem(weight, op));
        sizes(k, g).run1(g.inputSize(), ClElementwise.LOCAL);
    }

    void backwardFilter(Storage gradWeight, Storage gradBias, Storage gradOutput, Storage input, Conv2dGeometry g) {
        String op = "conv2dBackwardFilter";
        if (im2col) {
            long cols = (long) g.batch() * g.outHeight() * g.outWidth();
            cl_mem col = unfold(backend.mem(input, op), g);
            cl_mem product = channelsFirst(backend.mem(gradOutput, op), g);
            backend.gemm().gemm(false, true, g.outChannels(), rows(g), (int) cols, 1f, product, 0, col, 0, 0f,
                    backend.mem(gradWeight, op), 0);
        } else {
            ClKernel k = backend.kernel(FILE, "", "conv2d_backward_filter").arg(backend.mem(gradWeight, op))
                    .arg(backend.mem(gradOutput, op)).arg(backend.mem(input, op));
            sizes(k, g).run1(g.weightSize(), ClElementwise.LOCAL);
        }
        if (gradBias != null) {
            backend.kernel(FILE, "", "conv2d_backward_bias").arg(backend.mem(gradBias, op))
                    .arg(backend.mem(gradOutput, op)).arg(g.batch()).arg(g.outChannels())
                    .arg(g.outHeight()).arg(g.outWidth()).run1(g.outChannels(), ClElementwise.LOCAL);
        }
    }

    private static int rows(Conv2dGeometry g) {
        return g.inChannels() * g.kernelHeight() * g.kernelWidth();
    }

    /** col [C·KH·KW, N·OH·OW] of the input, in scratch memory. */
    private cl_mem unfold(cl_mem input, Conv2dGeometry g) {
        long size = (long) rows(g) * g.batch() * g.outHeight() * g.outWidth();
        cl_mem col = backend.scratch().get(ClScratch.CONV_COLUMNS, size);
        ClKernel k = backend.kernel(FILE, "", "im2col").arg(col).arg(input);
        im2colSizes(k, g).run1(size, ClElementwise.LOCAL);
        return col;
    }

    /** gradOutput [N, OC, OH·OW] as [OC, N·OH·OW], in scratch memory. */
    private cl_mem channelsFirst(cl_mem gradOutput, Conv2dGeometry g) {
        cl_mem product = backend.scratch().get(ClScratch.CONV_PRODUCT, g.outputSize());
        backend.kernel(FILE, "", "batch_first_to_channels_first").arg(product).arg(gradOutput).arg(g.batch())
                .arg(g.outChannels()).arg(g.outHeight() * g.outWidth()).run1(g.outputSize(), ClElementwise.LOCAL);
        return product;
    }

    private static ClKernel im2colSizes(ClKernel k, Conv2dGeometry g) {
        return k.arg(g.batch()).arg(g.inChannels()).arg(g.inHeight()).arg(g.inWidth()).arg(g.kernelHeight())
                .arg(g.kernelWidth()).arg(g.stride()).arg(g.padding()).arg(g.outHeight()).arg(g.outWidth());
    }

    private static ClKernel sizes(ClKernel k, Conv2dGeometry g) {
        return k.arg(g.batch()).arg(g.inChannels()).arg(g.inHeight()).arg(g.inWidth()).arg(g.outChannels())
                .arg(g.kernelHeight()).arg(g.kernelWidth()).arg(g.stride()).arg(g.padding())
                .arg(g.outHeight()).arg(g.outWidth());
    }
}
