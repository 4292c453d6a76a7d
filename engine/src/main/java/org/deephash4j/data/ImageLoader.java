package org.deephash4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes an image file (JPEG, PNG, BMP, GIF: whatever {@code javax.imageio} reads) into unsigned
 * bytes [C, H, W] for a model input of C channels (1 = grey, 3 = RGB) and H x W pixels: the image
 * is scaled (bilinear) so that it covers H x W with its aspect kept, then the centre is cropped.
 * Grey is the luma 0.299 R + 0.587 G + 0.114 B.
 */
public final class ImageLoader {
    private ImageLoader() {
    }

    public static byte[] load(Path path, int channels, int height, int width) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such image file");
        BufferedImage image;
        try {
            image = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(path, "cannot decode the image (" + e.getMessage() + ")");
        }
        if (image == null) {
            throw new DatasetFormatException(path, "not an image javax.imageio can read (JPEG, PNG, BMP, GIF expected)");
        }
        return toBytes(image, channels, height, width);
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
