package org.deephash4j.data;

/**
 * What every stored image goes through to become a model input (torchvision's
 * {@code Resize(resize)}, {@code CenterCrop} or {@code RandomCrop}, {@code Normalize}), recorded in
 * the checkpoint so encoding does exactly what training did:
 * <ol>
 *   <li>channels: grey replicated to RGB, or RGB to grey by the luma 0.299 R + 0.587 G + 0.114 B;</li>
 *   <li>scale (bilinear, PyTorch's {@code align_corners=False}) by
 *       s = max(H / h, W / w, resize / min(h, w)) for a stored h x w image: the result covers the
 *       input's H x W, and its shorter side is at least {@code resize} (0: no margin);</li>
 *   <li>crop H x W: the centre for evaluation and encoding; a seeded random window and a
 *       horizontal flip with probability 1/2 for training with augmentation ({@link InputPipeline});</li>
 *   <li>normalise: (v / 255 - mean[c]) / std[c].</li>
 * </ol>
 *
 * @param input         the model's input C x H x W
 * @param resize        shorter side before the crop, 0 or at least max(H, W) when set (256 for 224 crops as in
 *                      the papers' "resize to 256, crop 224")
 * @param normalization per-channel mean and standard deviation of the input
 */
public record Preprocessing(InputShape input, int resize, Normalization normalization) {
    /** ImageNet's mean and standard deviation, which torchvision's pretrained backbones expect. */
    public static final Normalization IMAGENET = new Normalization(new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f});

    public Preprocessing {
        if (normalization.channels() != input.channels()) {
            throw new IllegalArgumentException("input " + input + " has " + input.channels() + " channels but the normalisation has "
                    + normalization.channels());
        }
        if (resize != 0 && resize < Math.max(input.height(), input.width())) {
            throw new IllegalArgumentException("--resize " + resize + ": the shorter side must be at least the crop, "
                    + Math.max(input.height(), input.width()) + " for input " + input + " (or 0 for no margin)");
        }
        if (resize < 0) throw new IllegalArgumentException("--resize " + resize + ": expected 0 or a positive size");
    }

    /** No margin: images are scaled just enough to cover the input. */
    public static Preprocessing of(InputShape input, Normalization normalization) {
        return new Preprocessing(input, 0, normalization);
    }

    /** The size images are decoded to when they come from files: the input, or resize x resize when set. */
    public InputShape decodeShape() {
        return resize == 0 ? input : new InputShape(input.channels(), resize, resize);
    }

    /** The scale factor for a stored image of h x w pixels (see the class comment, step 2). */
    public double scaleFor(int h, int w) {
        return Math.max(Math.max((double) input.height() / h, (double) input.width() / w),
                resize == 0 ? 0 : (double) resize / Math.min(h, w));
    }
}
