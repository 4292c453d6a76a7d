package org.deephash4j.app;

import org.deephash4j.search.BinaryCodes;

/**
 * A query code typed in hex ({@code search --code}): ceil(K / 4) hex digits, read left to right as code bits 0, 1,
 * 2, ... (the first digit's highest bit is bit 0), so a 64-bit code is the 16 digits of its one word as
 * {@link BinaryCodes} stores it. Bits past K in the last digit must be 0.
 */
final class QueryCode {
    private QueryCode() {
    }

    static BinaryCodes parse(String hex, int bits) {
        int digits = (bits + 3) / 4;
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (h.length() != digits) {
            throw new CommandFailure(ExitCode.USAGE, "--code " + hex + ": " + h.length() + " hex digits, the index's "
                    + bits + "-bit codes take " + digits);
        }
        long[] words = new long[BinaryCodes.wordsFor(bits)];
        for (int d = 0; d < digits; d++) {
            int v = Character.digit(h.charAt(d), 16);
            if (v < 0) throw new CommandFailure(ExitCode.USAGE, "--code " + hex + ": '" + h.charAt(d) + "' at digit " + d + " is not hex");
            for (int b = 0; b < 4; b++) {
                if ((v & (8 >> b)) == 0) continue;
                int bit = 4 * d + b;
                if (bit >= bits) {
                    throw new CommandFailure(ExitCode.USAGE, "--code " + hex + ": bit " + bit + " is set but the codes have "
                            + bits + " bits (the last digit's low bits must be 0)");
                }
                words[bit / 64] |= 1L << (63 - bit % 64);
            }
        }
        return BinaryCodes.fromWords(bits, words);
    }
}
