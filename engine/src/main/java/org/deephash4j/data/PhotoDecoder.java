package org.deephash4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.deephash4j.io.InputFiles;

/**
 * Decodes photos of any size into the unsigned bytes [C, H, W] a data set keeps, many files at
 * once on a bounded pool of threads, each file into its own slot (so the result does not depend
 * on which thread finishes first):
 * <ul>
 *   <li>bounded as {@link ImageLoader#load} is: only regular files are opened, and the width and height
 *       are read from the file's header first: an image of more than {@link ImageLoader#maxPixels()}
 *       pixels is refused before it is decoded;</li>
 *   <li>a large photo is decoded subsampled (every f-th pixel, f chosen so that at least twice the
 *       target size remains), then halved with bilinear filtering until one last bilinear step to the
 *       target is at most 2:1, which keeps the aliasing of a single big bilinear step out of the
 *       pixels (and a 24-megapixel JPEG out of memory);</li>
 *   <li>then {@link ImageLoader#toBytes}: scaled to cover H x W with its aspect kept, centre crop, grey
 *       by the luma for one channel. A photo that needs no reduction gives exactly
 *       {@link ImageLoader#load}'s bytes.</li>
 * </ul>
 */
public final class PhotoDecoder {
    /** At most this many decoding threads, whatever the machine: each holds one decoded photo. */
    public static final int MAX_THREADS = 4;

    private PhotoDecoder() {
    }

    /** One photo as bytes [C, H, W]; see the class comment. */
    public static byte[] decode(Path path, int channels, int height, int width) throws IOException {
        InputFiles.requireRegularFile(path, "image file");
        try {
            return decodeBounded(path, channels, height, width);
        } catch (OutOfMemoryError e) {
            throw InputFiles.outOfMemory(path, e);
        }
    }

    private static byte[] decodeBounded(Path path, int channels, int height, int width) throws IOException {
        long limit = ImageLoader.maxPixels();
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DatasetFormatException(path, "file", 0, "not an image javax.imageio can read (JPEG, PNG, BMP, GIF expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > limit) {
                    throw new DatasetFormatException(path, "size", 0, "image of " + w + " x " + h + " pixels; at most " + limit
                            + " pixels are decoded (raise the limit with --max-image-pixels or -D" + ImageLoader.MAX_PIXELS_PROPERTY + ")");
                }
                double cover = Math.max((double) height / h, (double) width / w);
                int factor = (int) Math.max(1, Math.floor(1 / cover / 2));
                ImageReadParam param = reader.getDefaultReadParam();
                if (factor > 1) param.setSourceSubsampling(factor, factor, 0, 0);
                image = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(path, "image data", 0, "cannot decode the image (" + e.getMessage() + ")");
        }
        if (image == null) throw new DatasetFormatException(path, "file", 0, "javax.imageio decoded no image");
        return ImageLoader.toBytes(halve(image, height, width), channels, height, width);
    }

    // Halves (bilinear) while the image is still at least twice the size that covers height x width.
    static BufferedImage halve(BufferedImage image, int height, int width) {
        BufferedImage current = image;
        while (true) {
            int w = current.getWidth(), h = current.getHeight();
            double cover = Math.max((double) height / h, (double) width / w);
            if (cover > 0.5 || w < 2 || h < 2) return current;
            BufferedImage half = new BufferedImage(w / 2, h / 2, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = half.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(current, 0, 0, w / 2, h / 2, null);
            g.dispose();
            current = half;
        }
    }

    /** Photos decoded per thread before they join the output: bounds what is allocated ahead of decoding. */
    private static final int CHUNK_PER_THREAD = 4;

    /**
     * The photos {@code files}, decoded in parallel on at most {@link #MAX_THREADS} threads (fewer on
     * fewer cores), back to back as [files.size(), C, H, W]; the first failing file in list order is
     * the error. They are decoded a chunk at a time into an output that grows with what was decoded, so
     * a folder of ten thousand files that are not images fails on the first chunk without allocating ten
     * thousand images' pixels first (the readers' rule: memory in proportion to what was read).
     */
    public static byte[] decodeAll(List<Path> files, int channels, int height, int width) throws IOException {
        int imageSize = channels * height * width;
        long total = (long) files.size() * imageSize;
        if (total > GrowingBytes.MAX_ARRAY) {
            int fit = GrowingBytes.MAX_ARRAY / imageSize;
            throw ImageFolderReader.tooMany(files.get(fit), fit);
        }
        for (Path f : files) InputFiles.requireRegularFile(f, "image file");   // a missing file fails before any decoding
        int threads = Math.max(1, Math.min(Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()), files.size()));
        GrowingBytes out = new GrowingBytes(total, total);   // capped at the exact total, so toArray does not copy
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "deephash-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            int chunk = threads * CHUNK_PER_THREAD;
            for (int from = 0; from < files.size(); from += chunk) {
                byte[] decoded = decodeChunk(files.subList(from, Math.min(files.size(), from + chunk)), channels, height,
                        width, pool);
                out.write(decoded, 0, decoded.length);
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        return out.toArray();
    }

    // One chunk, each photo into its slot; on the pool when there is one.
    private static byte[] decodeChunk(List<Path> files, int channels, int height, int width, ExecutorService pool)
            throws IOException {
        int imageSize = channels * height * width;
        byte[] out = new byte[files.size() * imageSize];
        if (pool == null) {
            for (int i = 0; i < files.size(); i++) {
                System.arraycopy(decode(files.get(i), channels, height, width), 0, out, i * imageSize, imageSize);
            }
            return out;
        }
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int k = i;
            done.add(pool.submit(() -> {
                System.arraycopy(decode(files.get(k), channels, height, width), 0, out, k * imageSize, imageSize);
                return null;
            }));
        }
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while decoding images", e);
            }
        }
        return out;
    }
}
