package org.deephash4j.data;

import java.util.Locale;

/**
 * The size of a model's input images, C x H x W ({@code 3x224x224}): what a backbone takes and
 * what a checkpoint records as {@code input}.
 */
public record InputShape(int channels, int height, int width) {

    public InputShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input size " + channels + "x" + height + "x" + width
                    + " must be positive (C x H x W)");
        }
    }

    /** Parses {@code CxHxW}, as {@code 3x224x224}; {@code what} names the source in the error. */
    public static InputShape parse(String text, String what) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (p.length == 3) {
            try {
                return new InputShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
            } catch (NumberFormatException e) {
                // reported below
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " '" + text + "': " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(what + " '" + text + "': expected CxHxW such as 1x28x28 or 3x224x224");
    }

    /** The images of {@code data}, as they are stored. */
    public static InputShape of(Dataset data) {
        return new InputShape(data.channels(), data.height(), data.width());
    }

    /** C * H * W. */
    public int size() {
        return channels * height * width;
    }

    /** As {@code 3x224x224}. */
    public String text() {
        return channels + "x" + height + "x" + width;
    }

    @Override
    public String toString() {
        return text();
    }
}
