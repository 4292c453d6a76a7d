package org.deephash4j.app.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.deephash4j.io.AtomicFile;

/** Writes a PNG through {@link AtomicFile}, so a failure never leaves half a picture. */
final class Png {
    private Png() {
    }

    static void write(BufferedImage image, Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) java.nio.file.Files.createDirectories(parent);
        AtomicFile.write(path, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JDK");
        });
    }
}
