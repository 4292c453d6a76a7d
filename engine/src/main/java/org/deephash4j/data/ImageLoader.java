package org.deephash4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.deephash4j.io.InputFiles;

/**
 * Decodes an image file (JPEG, PNG, BMP, GIF: whatever {@code javax.imageio} reads) into unsigned
 * bytes [C, H, W] for a model input of C channels (1 = grey, 3 = RGB) and H x W pixels: the image
 * is scaled (bilinear) so that it covers H x W with its aspect kept, then the centre is cropped.
 * Grey is the luma 0.299 R + 0.587 G + 0.114 B.
 *
 * <p>Bounded: the width and height are read from the file's header first, and an image of more than
 * {@link #maxPixels()} pixels (default {@value #DEFAULT_MAX_PIXELS}, about a 9000 x 6000 photo; raise it
 * with {@code -Ddeephash.image.maxPixels=N} or the command line's {@code --max-image-pixels N}) is refused
 * before it is decoded, so a small file that claims a huge image costs nothing. Metadata chunks are not
 * read, and only regular files are opened (a FIFO would block).
 */
public final class ImageLoader {
    /** System property that raises (or lowers) the pixel limit. */
    public static final String MAX_PIXELS_PROPERTY = "deephash.image.maxPixels";
    /** Pixels (width x height) an image may have unless {@value #MAX_PIXELS_PROPERTY} says otherwise. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private ImageLoader() {
    }

    /** The pixel limit in force: {@value #MAX_PIXELS_PROPERTY} when set to a positive number, else the default. */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v == null) return DEFAULT_MAX_PIXELS;
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(MAX_PIXELS_PROPERTY + " = '" + v + "': expected a positive whole number of pixels");
    }

    public static byte[] load(Path path, int channels, int height, int width) throws IOException {
        InputFiles.requireRegularFile(path, "image file");
        try {
            return toBytes(decode(path), channels, height, width);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
    }

    /** Decodes the first image of {@code path} after checking its size against {@link #maxPixels()}. */
    private static BufferedImage decode(Path path) throws IOException {
        long limit = maxPixels();
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DatasetFormatException(path, "file", 0, "not an image javax.imageio can read (JPEG, PNG, BMP, GIF expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);   // seek forward only, ignore metadata
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > limit) {
                    throw new DatasetFormatException(path, "size", 0, "image of " + w + " x " + h + " pixels; at most " + limit
                            + " pixels are decoded (raise the limit with --max-image-pixels or -D" + MAX_PIXELS_PROPERTY + ")");
                }
                BufferedImage image = reader.read(0);
                if (image == null) throw new DatasetFormatException(path, "file", 0, "javax.imageio decoded no image");
                return image;
            } finally {
                reader.dispose();
            }
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(path, "image data", 0, "cannot decode the image (" + e.getMessage() + ")");
        }
    }

    /** Scales, crops and converts a decoded image; see the class comment. */
    public static byte[] toBytes(BufferedImage image, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image input: " + channels + " channels; expected 1 (grey) or 3 (RGB)");
        }
        double scale = Math.max((double) height / image.getHeight(), (double) width / image.getWidth());
        int scaledW = Math.max(width, (int) Math.round(image.getWidth() * scale));
        int scaledH = Math.max(height, (int) Math.round(image.getHeight() * scale));
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, -(scaledW - width) / 2, -(scaledH - height) / 2, scaledW, scaledH, null);
        g.dispose();
        byte[] out = new byte[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = canvas.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, gr = (rgb >> 8) & 0xff, b = rgb & 0xff;
                int p = y * width + x;
                if (channels == 1) {
                    out[p] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                } else {
                    out[p] = (byte) r;
                    out[plane + p] = (byte) gr;
                    out[2 * plane + p] = (byte) b;
                }
            }
        }
        return out;
    }

    /** Image file names this loader tries (by extension, case-insensitive). */
    public static boolean isImageFile(Path path) {
        String n = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }
}
