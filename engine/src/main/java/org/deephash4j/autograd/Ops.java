package org.deephash4j.autograd;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.UnaryOp;
import org.deephash4j.tensor.Shape;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * The differentiable operations, as static functions that read like math:
 * {@code Ops.relu(Ops.linear(x, w, b))}. Each validates its arguments at once (an
 * {@link IllegalArgumentException} naming the op, the shapes it got and what it expected),
 * then runs one {@link Op}, which records itself in the graph when gradients are enabled
 * and an input requires one (see {@link NoGrad}, {@link Graph#backward}).
 *
 * <p>Every result is a new tensor created in the current {@code TensorScope} (except
 * {@link #reshape}, a view of its input, and {@link #dropout} with p = 0 or in evaluation,
 * which returns its input).
 */
public final class Ops {
    private Ops() {
    }

    // ---------------------------------------------------------------- products

    /** C = A · B for matrices A [M, K] and B [K, N]; C is [M, N]. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * C = op(A) · op(B): op(A) is A [M, K], or Aᵀ when {@code transA} (A stored [K, M]); op(B) is
     * B [K, N], or Bᵀ when {@code transB} (B stored [N, K]). C is [M, N].
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        return matmul(a, b, transA, transB, 1f);
    }

    /** C = alpha · op(A) · op(B), as {@link #matmul(Tensor, Tensor, boolean, boolean)} with the scale inside the GEMM. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB, float alpha) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul: A is " + a.shape() + " and B is " + b.shape()
                    + "; both must be matrices (rank 2)");
        }
        int ka = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: A is " + a.shape() + " and B is " + b.shape()
                    + "; inner dimensions must match (transA=" + transA + ", transB=" + transB + ")");
        }
        return new MatMulOp(transA, transB, alpha).apply(a, b);
    }

    /**
     * A fully connected layer: y = x · Wᵀ + b for x [N, in], weight W [out, in] (PyTorch's
     * layout) and bias b [out] or null; y is [N, out].
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() != 2 || weight.rank() != 2) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " and weight " + weight.shape()
                    + " must be matrices (input [N, in], weight [out, in])");
        }
        if (x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " has " + x.dim(1)
                    + " features but weight " + weight.shape() + " expects " + weight.dim(1)
                    + " (weight is [out, in])");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + bias.shape() + " must be [" + weight.dim(0)
                    + "] for weight " + weight.shape());
        }
        Tensor y = new MatMulOp(false, true, 1f).apply(x, weight);
        return bias == null ? y : new BroadcastOp(BinaryOp.ADD).apply(y, bias);
    }

    /** The transpose of a matrix x [R, C]: a new [C, R] tensor (see {@link TransposeOp} for the cost). */
    public static Tensor transpose(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("transpose: x is " + x.shape() + "; expected a matrix (rank 2)");
        }
        return new TransposeOp().apply(x);
    }

    // ---------------------------------------------------------------- convolution and pooling

    /**
     * 2-D convolution (cross-correlation, as in PyTorch): input x [N, C, H, W], weight
     * [outC, C, kH, kW], bias [outC] or null, the same stride and zero padding on both axes;
     * output [N, outC, (H + 2p - kH) / s + 1, (W + 2p - kW) / s + 1].
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " must be [N, C, H, W]");
        }
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("conv2d: weight " + weight.shape() + " must be [outC, inC, kH, kW]");
        }
        if (x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " has " + x.dim(1)
                    + " channels but weight " + weight.shape() + " expects " + weight.dim(1)
                    + " (weight is [outC, inC, kH, kW])");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias " + bias.shape() + " must be [" + weight.dim(0)
                    + "] for weight " + weight.shape());
        }
        Conv2dGeometry g = new Conv2dGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3),
                weight.dim(0), weight.dim(2), weight.dim(3), stride, padding);
        Conv2dOp op = new Conv2dOp(g);
        return bias == null ? op.apply(x, weight) : op.apply(x, weight, bias);
    }

    /** Max pooling over kH × kW windows of x [N, C, H, W] (padded positions ignored). */
    public static Tensor maxPool2d(Tensor x, int kernelHeight, int kernelWidth, int stride, int padding) {
        return new MaxPool2dOp(poolGeometry("maxPool2d", x, kernelHeight, kernelWidth, stride, padding)).apply(x);
    }

    /** Average pooling over kH × kW windows of x [N, C, H, W] (padding counts as zeros). */
    public static Tensor avgPool2d(Tensor x, int kernelHeight, int kernelWidth, int stride, int padding) {
        return new AvgPool2dOp(poolGeometry("avgPool2d", x, kernelHeight, kernelWidth, stride, padding)).apply(x);
    }

    private static Pool2dGeometry poolGeometry(String op, Tensor x, int kh, int kw, int stride, int padding) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " must be [N, C, H, W]");
        }
        try {
            return new Pool2dGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kh, kw, stride, padding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- element-wise, one input

    /** max(x, 0). */
    public static Tensor relu(Tensor x) {
        return unary(UnaryOp.RELU, x);
    }

    /** 1 / (1 + e^-x). */
    public static Tensor sigmoid(Tensor x) {
        return unary(UnaryOp.SIGMOID, x);
    }

    /** tanh x. */
    public static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, x);
    }

    /** e^x. */
    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x);
    }

    /** ln x (x &gt; 0). */
    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x);
    }

    /** |x|; the derivative at 0 is 0. */
    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, x);
    }

    /** ln(1 + e^x), stable for large |x|. */
    public static Tensor softplus(Tensor x) {
        return unary(UnaryOp.SOFTPLUS, x);
    }

    /** ln cosh x, stable for large |x|. */
    public static Tensor logCosh(Tensor x) {
        return unary(UnaryOp.LOG_COSH, x);
    }

    /** x². */
    public static Tensor square(Tensor x) {
        return unary(UnaryOp.SQUARE, x);
    }

    /** -x. */
    public static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, x);
    }

    /**
     * +1 where x &gt;= 0, else -1 (sign(0) = +1, the hashing convention). Not differentiable:
     * the result never requires a gradient and records nothing.
     */
    public static Tensor sign(Tensor x) {
        Tensor y = Tensors.zeros(x.backend(), x.shape().dims());
        x.backend().unary(UnaryOp.SIGN, y.storage(), x.storage(), y.size());
        return y;
    }

    private static Tensor unary(UnaryOp function, Tensor x) {
        return new UnaryFunctionOp(function).apply(x);
    }

    /** scale · x. */
    public static Tensor scale(Tensor x, float scale) {
        return new AffineOp(scale, 0f).apply(x);
    }

    /** scale · x + shift. */
    public static Tensor affine(Tensor x, float scale, float shift) {
        return new AffineOp(scale, shift).apply(x);
    }

    // ---------------------------------------------------------------- element-wise, two inputs

    /** a + b, same shapes. */
    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, "add", a, b);
    }

    /** a - b, same shapes. */
    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, "sub", a, b);
    }

    /** a · b element-wise, same shapes. */
    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, "mul", a, b);
    }

    /** a / b element-wise, same shapes. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, "div", a, b);
    }

    private static Tensor binary(BinaryOp function, String name, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(name + ": a is " + a.shape() + " and b is " + b.shape()
                    + "; shapes must be equal (no implicit broadcasting; use addBias / mulBias for a vector over dim 1)");
        }
        return new BinaryFunctionOp(function).apply(a, b);
    }

    /** y[n, c, ...] = x[n, c, ...] + bias[c]: a bias [C] over dim 1 of x [N, C] or [N, C, H, W]. */
    public static Tensor addBias(Tensor x, Tensor bias) {
        checkChannelVector("addBias", x, bias);
        return new BroadcastOp(BinaryOp.ADD).apply(x, bias);
    }

    /** y[n, c, ...] = x[n, c, ...] · scale[c]: a per-channel scale [C] over dim 1 of x. */
    public static Tensor mulBias(Tensor x, Tensor scale) {
        checkChannelVector("mulBias", x, scale);
        return new BroadcastOp(BinaryOp.MUL).apply(x, scale);
    }

    /** x · s for a one-element tensor s (such as the upstream gradient of a scalar loss); the shape of x. */
    public static Tensor mulScalar(Tensor x, Tensor s) {
        if (s.size() != 1) {
            throw new IllegalArgumentException("mulScalar: s is " + s.shape() + "; expected one element");
        }
        return new MulScalarOp().apply(x, s);
    }

    private static void checkChannelVector(String op, Tensor x, Tensor v) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": x is " + x.shape() + "; expected rank >= 2 ([N, C, ...])");
        }
        if (v.rank() != 1 || v.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": x is " + x.shape() + " and the vector is " + v.shape()
                    + "; expected [" + x.dim(1) + "] (one value per entry of dim 1)");
        }
    }

    // ---------------------------------------------------------------- reductions

    /** Σ of all elements: a scalar (shape []). */
    public static Tensor sum(Tensor x) {
        return new SumOp(-1).apply(x);
    }

    /** Σ along {@code axis} (negative counts from the end); that axis is removed from the shape. */
    public static Tensor sum(Tensor x, int axis) {
        return new SumOp(checkAxis("sum", x, axis)).apply(x);
    }

    /** The mean of all elements: a scalar (shape []). */
    public static Tensor mean(Tensor x) {
        if (x.size() == 0) throw new IllegalArgumentException("mean: x " + x.shape() + " is empty");
        return scale(sum(x), 1f / x.size());
    }

    /** The mean along {@code axis}; that axis is removed from the shape. */
    public static Tensor mean(Tensor x, int axis) {
        int a = checkAxis("mean", x, axis);
        if (x.dim(a) == 0) throw new IllegalArgumentException("mean: axis " + axis + " of " + x.shape() + " is empty");
        return scale(new SumOp(a).apply(x), 1f / x.dim(a));
    }

    private static int checkAxis(String op, Tensor x, int axis) {
        int a = axis < 0 ? x.rank() + axis : axis;
        if (a < 0 || a >= x.rank()) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for " + x.shape()
                    + " (rank " + x.rank() + ")");
        }
        return a;
    }

    // ---------------------------------------------------------------- losses

    /**
     * Mean softmax cross-entropy -(1/N) Σ_i ln softmax(z_i)[y_i] for logits z [N, C] and labels
     * y [N] holding class indices 0..C-1 as floats; a scalar (shape []). The labels are checked
     * on the host (N floats).
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits " + logits.shape() + " must be [N, classes]");
        }
        if (labels.rank() != 1 || labels.dim(0) != logits.dim(0)) {
            throw new IllegalArgumentException("softmaxCrossEntropy: labels " + labels.shape() + " must be ["
                    + logits.dim(0) + "] for logits " + logits.shape());
        }
        float[] y = labels.toArray();
        int classes = logits.dim(1);
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] >= 0 && y[i] < classes && y[i] == Math.rint(y[i]))) {
                throw new IllegalArgumentException("softmaxCrossEntropy: labels[" + i + "] = " + y[i]
                        + " is not a class index in [0, " + classes + ")");
            }
        }
        return new SoftmaxCrossEntropyOp().apply(logits, labels);
    }

    // ---------------------------------------------------------------- shapes

    /** x with other dimensions of the same size (one may be -1): a view; the gradient is reshaped back. */
    public static Tensor reshape(Tensor x, int... dims) {
        Shape target = x.reshape(dims).shape();  // validates and resolves -1 with a clear message
        return new ReshapeOp(target.dims()).apply(x);
    }

    /**
     * x cut from the graph: a view of the same storage that requires no gradient, so nothing
     * flows back through it (targets, codes held fixed while other variables are updated).
     */
    public static Tensor detach(Tensor x) {
        return x.reshape(x.shape().dims());
    }

    /** [N, d1, d2, ...] to [N, d1 · d2 · ...]. */
    public static Tensor flatten(Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("flatten: x is a scalar " + x.shape() + "; expected [N, ...]");
        }
        return reshape(x, x.dim(0), (int) (x.size() / Math.max(1, x.dim(0))));
    }

    // ---------------------------------------------------------------- regularisation

    /**
     * Inverted dropout with drop probability p in [0, 1) and a mask drawn from {@code seed}
     * (callers vary the seed per call; {@code nn.Dropout} does). With p = 0 it returns x itself.
     */
    public static Tensor dropout(Tensor x, float p, long seed) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: p = " + p + " must be in [0, 1) for x " + x.shape());
        }
        if (p == 0f) return x;
        return new DropoutOp(p, seed).apply(x);
    }

    // ---------------------------------------------------------------- normalisation and adaptive pooling (issue 20)

    /**
     * Batch normalisation of x [N, C, ...] per channel (dimension 1), as PyTorch's
     * {@code F.batch_norm}: y = (x - mean[c]) / sqrt(variance[c] + eps) · weight[c] + bias[c].
     * In training mode mean and variance are the batch's (biased variance over the M = N · H · W
     * values of a channel; M must exceed 1), and runningMean / runningVar [C], when not null, are
     * updated in place with {@code momentum} (PyTorch's convention: new = (1 - momentum) · old +
     * momentum · batch value, the variance unbiased); in evaluation mode the running statistics
     * are used and not changed. weight and bias are [C] (gradients flow to x, weight and bias).
     */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                   boolean training, float momentum, float eps) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batchNorm: x is " + x.shape() + "; expected [N, C, ...]");
        }
        int channels = x.dim(1);
        checkChannelParameter("weight", x, weight);
        checkChannelParameter("bias", x, bias);
        if (runningMean != null) checkChannelParameter("running mean", x, runningMean);
        if (runningVar != null) checkChannelParameter("running variance", x, runningVar);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: give both running statistics or neither (mean "
                    + (runningMean == null ? "null" : "given") + ", variance " + (runningVar == null ? "null" : "given") + ")");
        }
        if (!(eps > 0f)) throw new IllegalArgumentException("batchNorm: eps = " + eps + ", expected > 0");
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException("batchNorm: momentum = " + momentum + ", expected 0 to 1");
        }
        if (training) {
            long perChannel = x.size() / Math.max(1, channels);
            if (perChannel < 2) {
                throw new IllegalArgumentException("batchNorm: x " + x.shape() + " has " + perChannel
                        + " value per channel; training mode needs more than 1 (a batch of one 1x1 map has no variance)");
            }
        } else if (runningMean == null) {
            throw new IllegalArgumentException("batchNorm: evaluation mode needs the running mean and variance, got null");
        }
        return new BatchNormOp(training, runningMean, runningVar, momentum, eps).apply(x, weight, bias);
    }

    private static void checkChannelParameter(String what, Tensor x, Tensor v) {
        if (v == null || v.rank() != 1 || v.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException("batchNorm: " + what + " is " + (v == null ? "null" : v.shape())
                    + " but x " + x.shape() + " has " + x.dim(1) + " channels; expected [" + x.dim(1) + "]");
        }
    }

    /**
     * Adaptive average pooling of x [N, C, H, W] to [N, C, outHeight, outWidth], as PyTorch's
     * {@code AdaptiveAvgPool2d((outHeight, outWidth))}: output cell (i, j) is the mean of rows
     * floor(i·H/outHeight) to ceil((i+1)·H/outHeight) - 1 and the same for columns. Any sizes
     * >= 1: out = in is the identity, out dividing in a uniform pooling, in dividing out a repetition.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outHeight, int outWidth) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: input " + x.shape() + " must be [N, C, H, W]");
        }
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size " + outHeight + "x" + outWidth
                    + " for input " + x.shape() + "; both sizes must be >= 1");
        }
        return new AdaptiveAvgPool2dOp(new AdaptivePool2dGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3),
                outHeight, outWidth)).apply(x);
    }

    /**
     * Global average pooling: x [N, C, H, W] to [N, C], each channel's mean over its H · W
     * positions (torchvision's {@code AdaptiveAvgPool2d(1)} followed by {@code flatten(1)}).
     */
    public static Tensor globalAvgPool2d(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("globalAvgPool2d: input " + x.shape() + " must be [N, C, H, W]");
        }
        return reshape(adaptiveAvgPool2d(x, 1, 1), x.dim(0), x.dim(1));
    }
}
