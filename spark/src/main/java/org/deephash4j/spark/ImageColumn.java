package org.deephash4j.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.data.ImageLoader;

/**
 * Where an image table keeps its images, and how a row's image becomes the model's input bytes [C, H, W]:
 * <ul>
 *   <li>{@code pixels} (binary): the unsigned bytes [C, H, W] themselves, exactly C * H * W of them;</li>
 *   <li>{@code image} or {@code content} (binary): an image file's bytes (PNG, JPEG, ...; {@code content} is what
 *       {@code spark.read.format("binaryFile")} gives), decoded and scaled as {@link ImageLoader} does;</li>
 *   <li>{@code path} (string): an image file on a file system every executor sees (local or mounted), read
 *       with {@link ImageLoader#load}; for HDFS or object stores read the files with {@code binaryFile}.</li>
 * </ul>
 * The first of these columns a table has is used, in that order.
 */
enum ImageColumn {
    PIXELS("pixels", DataTypes.BinaryType),
    IMAGE("image", DataTypes.BinaryType),
    CONTENT("content", DataTypes.BinaryType),
    PATH("path", DataTypes.StringType);

    final String column;
    final DataType type;

    ImageColumn(String column, DataType type) {
        this.column = column;
        this.type = type;
    }

    /**
     * The image column of {@code schema}.
     *
     * @throws IllegalArgumentException listing the columns found when none fits, or naming the column of the wrong type
     */
    static ImageColumn find(StructType schema) {
        for (ImageColumn c : values()) {
            for (var f : schema.fields()) {
                if (!f.name().equals(c.column)) continue;
                if (!f.dataType().equals(c.type)) {
                    throw new IllegalArgumentException("image table: column '" + c.column + "' is " + f.dataType().simpleString()
                            + ", expected " + c.type.simpleString());
                }
                return c;
            }
        }
        throw new IllegalArgumentException("image table: no image column; expected one of pixels (binary, [C, H, W] bytes), "
                + "image or content (binary, an image file), path (string); columns are " + java.util.Arrays.toString(schema.fieldNames()));
    }

    /**
     * The input bytes [C, H, W] of one row's image.
     *
     * @param value the column's value (byte[] or String)
     * @param id    the row's id, for messages
     */
    byte[] decode(Object value, long id, int channels, int height, int width) {
        if (value == null) throw new IllegalArgumentException("image table: id " + id + " has a null " + column);
        switch (this) {
            case PIXELS -> {
                byte[] pixels = (byte[]) value;
                int expected = channels * height * width;
                if (pixels.length != expected) {
                    throw new IllegalArgumentException("image table: id " + id + " has " + pixels.length + " pixel bytes but the model takes "
                            + channels + "x" + height + "x" + width + " = " + expected + " ([C, H, W] unsigned bytes)");
                }
                return pixels;
            }
            case IMAGE, CONTENT -> {
                BufferedImage image;
                try {
                    image = ImageIO.read(new ByteArrayInputStream((byte[]) value));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("image table: id " + id + ": cannot decode the image (" + e.getMessage() + ")", e);
                }
                if (image == null) {
                    throw new IllegalArgumentException("image table: id " + id + ": not an image javax.imageio can read (JPEG, PNG, BMP, GIF expected)");
                }
                return ImageLoader.toBytes(image, channels, height, width);
            }
            case PATH -> {
                String p = (String) value;
                try {
                    return ImageLoader.load(Path.of(p.startsWith("file:") ? java.net.URI.create(p).getPath() : p), channels, height, width);
                } catch (IOException e) {
                    throw new UncheckedIOException("image table: id " + id + ": " + e.getMessage(), e);
                }
            }
            default -> throw new AssertionError(this);
        }
    }
}
