package org.deephash4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.DataSource;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputProfile;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case: a sneaker from Fashion-MNIST's test images enlarged to 320 x 320, once as
 * Fashion-MNIST draws it (bright on black) and once as product photos are taken (the same photo on
 * white: Fashion-MNIST's images are negated product photos). A model trained on the embedded subset
 * records its images' profile; the white query is brought to its terms (inverted, with a note) and
 * finds sneakers like the black one, or is refused with the reason; searched as it is, it is far
 * from the black one's code.
 */
class QueryImageTest {
    private static final Backend CPU = Backends.cpu();
    private static final int SNEAKER = 7;

    @TempDir
    static Path dir;
    private static HashingModel model;
    private static SplitDataset data;
    private static BinaryCodes database;
    private static Path black;
    private static Path white;

    @BeforeAll
    static void trainAndEncode() throws IOException {
        data = DataSource.embeddedSubset().split(50, 200, 0, true);
        Dataset all = data.data();
        Path ckpt = dir.resolve("lenet.safetensors");
        try (HashingModel m = new HashingModel(CPU, Backbone.LENET, HashingMethods.create("HashNet", 32,
                all.labelsOf(data.split().train())), data.normalization(), all.classNames(), 0)) {
            new Trainer(m, new TrainConfig("lenet", "HashNet", 32, 3, 128, 1e-3f, 0f, 0, 0, "cpu"),
                    new Progress(new PrintStream(new ByteArrayOutputStream()))).run(all, data.split().train(), ckpt);
        }
        model = HashingModel.load(ckpt, CPU, null);            // the profile goes through the checkpoint
        database = model.encode(all, data.split().database());
        int sneaker = -1;
        for (int q : data.split().query()) if (all.classOf(q) == SNEAKER) { sneaker = q; break; }
        byte[] px = all.rawImage(sneaker);
        black = png(px, false, "sneaker-on-black.png");
        white = png(px, true, "sneaker-on-white.png");
    }

    // 28 x 28 grey bytes enlarged to 320 x 320 (bilinear), negated for the white version.
    private static Path png(byte[] px, boolean negate, String name) throws IOException {
        BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < 784; p++) {
            int v = px[p] & 0xff;
            if (negate) v = 255 - v;
            small.setRGB(p % 28, p / 28, v << 16 | v << 8 | v);
        }
        BufferedImage big = new BufferedImage(320, 320, BufferedImage.TYPE_INT_RGB);
        var g = big.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(small, 0, 0, 320, 320, null);
        g.dispose();
        Path p = dir.resolve(name);
        ImageIO.write(big, "png", p.toFile());
        return p;
    }

    private static BinaryCodes code(QueryImage q) {
        return model.encode(q.asDataset("query"), new int[] {0});
    }

    private static int sneakersInTop10(BinaryCodes q) {
        Neighbors hits = new LinearScan(database).knn(q, 0, 10);
        int[] db = data.split().database();
        int n = 0;
        for (int j = 0; j < hits.size(); j++) if (data.data().classOf(db[(int) hits.id(j)]) == SNEAKER) n++;
        return n;
    }

    @Test
    void theCheckpointRecordsItsImagesProfile() {
        InputProfile p = model.inputProfile();
        assertEquals(InputProfile.Polarity.DARK_GROUND, p.polarity());
        assertTrue(p.darkGroundShare() > 0.9, p.toString());
        assertTrue(p.grey());
    }

    @Test
    void aSneakerOnWhiteIsInvertedAndFindsSneakers() throws IOException {
        QueryImage onBlack = QueryImage.load(black, model, QueryImage.Polarity.INVERT);
        assertEquals(List.of(), onBlack.notes(), "a query like the training images is taken as it is");
        QueryImage onWhite = QueryImage.load(white, model, QueryImage.Polarity.INVERT);
        assertEquals(1, onWhite.notes().size(), onWhite.notes().toString());
        assertTrue(onWhite.notes().getFirst().startsWith("note: sneaker-on-white.png has a light ground but the model was trained"
                + " on dark-ground images"), onWhite.notes().getFirst());
        BinaryCodes b = code(onBlack), w = code(onWhite), kept = code(QueryImage.load(white, model, QueryImage.Polarity.KEEP));
        int sneakersBlack = sneakersInTop10(b), sneakersWhite = sneakersInTop10(w), sneakersKept = sneakersInTop10(kept);
        String figures = "sneakers in the top 10: on black " + sneakersBlack + ", on white inverted " + sneakersWhite
                + ", on white as it is " + sneakersKept + "; code distances to the black query: inverted " + w.distance(0, b, 0)
                + ", as it is " + kept.distance(0, b, 0);
        assertTrue(sneakersBlack >= 8, figures);
        assertTrue(sneakersWhite >= 8, figures);
        assertTrue(w.distance(0, b, 0) <= 2, figures);
        assertTrue(kept.distance(0, b, 0) >= 8, figures);
    }

    @Test
    void orItIsRefusedWithTheReason() {
        InputMismatchException e = assertThrows(InputMismatchException.class,
                () -> QueryImage.load(white, model, QueryImage.Polarity.REFUSE));
        assertTrue(e.getMessage().startsWith("sneaker-on-white.png has a light ground (centre minus border -"), e.getMessage());
        assertTrue(e.getMessage().endsWith("but the model was trained on dark-ground images (bright objects on a dark ground);"
                + " invert the image or give --polarity invert"), e.getMessage());
    }

    @Test
    void aColourQueryForAGreyModelIsMadeGrey() {
        byte[] rgb = new byte[3 * 784];
        for (int p = 0; p < 784; p++) rgb[p] = (byte) 200;           // red only: not grey
        InputProfile grey = new InputProfile(InputProfile.Polarity.MIXED, 0.5f, true, new float[] {0.3f, 0.3f, 0.3f},
                new float[] {0.3f, 0.3f, 0.3f}, 0f, 1f);
        QueryImage q = QueryImage.match(rgb, new org.deephash4j.data.InputShape(3, 28, 28), grey, QueryImage.Polarity.INVERT, "red.png");
        assertEquals("note: red.png is in colour but the model was trained on grey images: converted to grey", q.notes().getFirst());
        assertEquals(Math.round(0.299f * 200), q.pixels()[0] & 0xff);
        assertEquals(q.pixels()[0], q.pixels()[784]);
    }
}
