package org.deephash4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputProfile;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.PhotoDecoder;

/**
 * A query photo brought to the terms of the images a model was trained on ({@link InputProfile},
 * recorded in the checkpoint), or refused with the reason, before it is encoded:
 * <ol>
 *   <li>grey: a colour query for a model trained on grey images (grey data replicated to RGB) is
 *       turned into grey (the luma, replicated);</li>
 *   <li>polarity: a query whose ground is the other way round from the training images' (a product
 *       photo of a dark shoe on white, for a model trained on Fashion-MNIST's bright objects on black)
 *       is inverted (255 - pixel) under {@link Polarity#INVERT}, refused under {@link Polarity#REFUSE},
 *       searched as it is under {@link Polarity#KEEP}; each with a one-line note;</li>
 *   <li>brightness: a note when the query's mean grey level lies outside the training images' range.</li>
 * </ol>
 * Without a profile (a checkpoint written outside the trainer) the query is searched as it is.
 *
 * @param pixels the query as the model takes it, bytes [C, H, W] at the model's decode size
 * @param shape  C x H x W of {@code pixels}
 * @param notes  what was done to it and why, one line each (empty when nothing was)
 */
public record QueryImage(byte[] pixels, InputShape shape, List<String> notes) {

    /** What to do with a query whose polarity is the reverse of the training images'. */
    public enum Polarity { INVERT, REFUSE, KEEP }

    public QueryImage {
        notes = List.copyOf(notes);
    }

    /** Decodes {@code file} at {@code model}'s decode size and matches it to the model's training images. */
    public static QueryImage load(Path file, HashingModel model, Polarity policy) throws IOException {
        InputShape shape = model.preprocessing().decodeShape();
        byte[] px = PhotoDecoder.decode(file, shape.channels(), shape.height(), shape.width());
        return match(px, shape, model.inputProfile(), policy, file.getFileName().toString());
    }

    /** Matches decoded bytes [C, H, W] of {@code shape} to {@code profile} (may be null); {@code name} names the query in notes. */
    public static QueryImage match(byte[] pixels, InputShape shape, InputProfile profile, Polarity policy, String name) {
        if (profile == null) return new QueryImage(pixels, shape, List.of());
        byte[] px = pixels.clone();
        int plane = shape.height() * shape.width();
        List<String> notes = new ArrayList<>();
        if (profile.grey() && shape.channels() == 3 && !InputProfile.isGrey(px, plane)) {
            float[] g = InputProfile.greyLevels(px, 3, plane);
            for (int p = 0; p < plane; p++) {
                byte v = (byte) Math.round(g[p]);
                px[p] = v;
                px[plane + p] = v;
                px[2 * plane + p] = v;
            }
            notes.add("note: " + name + " is in colour but the model was trained on grey images: converted to grey");
        }
        double contrast = InputProfile.contrast(InputProfile.greyLevels(px, shape.channels(), plane), shape.height(), shape.width());
        boolean reversed = profile.polarity() == InputProfile.Polarity.DARK_GROUND && contrast < -InputProfile.CONTRAST
                || profile.polarity() == InputProfile.Polarity.LIGHT_GROUND && contrast > InputProfile.CONTRAST;
        if (reversed) {
            String ground = contrast < 0 ? "a light ground" : "a dark ground";
            String trained = String.format(Locale.ROOT, "the model was trained on %s images (%s)",
                    profile.polarity().text(), profile.polarity() == InputProfile.Polarity.DARK_GROUND
                            ? "bright objects on a dark ground" : "dark objects on a light ground");
            switch (policy) {
                case INVERT -> {
                    for (int i = 0; i < px.length; i++) px[i] = (byte) (255 - (px[i] & 0xff));
                    notes.add("note: " + name + " has " + ground + " but " + trained + ": inverted it to match"
                            + " (--polarity keep searches it as it is)");
                }
                case REFUSE -> throw new InputMismatchException(name + " has " + ground + String.format(Locale.ROOT,
                        " (centre minus border %.0f grey levels) but %s; invert the image or give --polarity invert", contrast, trained));
                case KEEP -> notes.add("note: " + name + " has " + ground + " but " + trained + "; searched as it is"
                        + " (--polarity keep): expect poor results");
            }
        }
        float[] g = InputProfile.greyLevels(px, shape.channels(), plane);
        double mean = 0;
        for (float v : g) mean += v;
        mean /= plane * 255.0;
        double margin = 0.1;
        if (mean < profile.brightnessLow() - margin || mean > profile.brightnessHigh() + margin) {
            notes.add(String.format(Locale.ROOT, "note: %s has a mean brightness of %.2f, outside the training images' %.2f to %.2f;"
                    + " results may be poor", name, mean, profile.brightnessLow(), profile.brightnessHigh()));
        }
        return new QueryImage(px, shape, notes);
    }

    /** The query as a one-image data set without a label, for {@link HashingModel#encode}. */
    public Dataset asDataset(String name) {
        return Dataset.singleLabel(name, shape.channels(), shape.height(), shape.width(), pixels, new int[] {0}, List.of("?"));
    }
}
