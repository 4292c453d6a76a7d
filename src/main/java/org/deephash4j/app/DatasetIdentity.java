package org.deephash4j.app;

import java.util.Locale;
import java.util.zip.CRC32C;
import org.deephash4j.data.Dataset;

/**
 * Which data set a {@code data:<i>} source indexes: its name, its size and a CRC32C of every image's pixels and
 * labels, written as {@code name:size:crc} (for example {@code fashion-mnist:70000:1a2b3c4d}). Two loads of the
 * same files give the same identity; another data set, another subset or the same images in another order give
 * another one, so {@code search} can refuse to draw image i of a data set the index was not encoded from.
 */
final class DatasetIdentity {
    private DatasetIdentity() {
    }

    static String of(Dataset data) {
        CRC32C crc = new CRC32C();
        byte[] labels = new byte[data.classes()];
        for (int i = 0; i < data.size(); i++) {
            crc.update(data.rawImage(i));
            for (int c = 0; c < labels.length; c++) labels[c] = (byte) (data.hasLabel(i, c) ? 1 : 0);
            crc.update(labels);
        }
        return data.name().replace(':', '_').replace('\t', ' ') + ":" + data.size() + ":"
                + String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /** "'name' (size images, crc32c crc)" for messages. */
    static String describe(String identity) {
        String[] f = identity.split(":", -1);
        if (f.length != 3) return "'" + identity + "'";
        return "'" + f[0] + "' (" + f[1] + " images, crc32c " + f[2] + ")";
    }
}
