package org.deephash4j.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of valid files, the kinds that break readers: flip bits, set bytes and size fields to
 * boundary values (both byte orders), truncate, splice in pieces of other seeds, grow, repeat a region,
 * nest JSON, and rewrite decimal numbers in text headers. The same seed gives the same mutant, so a failure
 * is reproduced from (seed, iteration) alone.
 */
final class Mutator {
    /** Mutants are cut at this length, so one input costs milliseconds. */
    static final int MAX_LENGTH = 4 << 20;
    private static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 255, 256, 0x7fff, 0xffff, 0x10000, 0x7fffffffL,
        0x80000000L, 0xffffffffL, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, 65536L * 65536L};
    private static final String[] NUMBERS = {"0", "-1", "1", "2147483647", "2147483648", "4294967296", "65536",
        "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1e400", "-0", "3.5", "1e9"};

    private final Random random;

    Mutator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** One to four mutations of {@code seed}; {@code others} are spliced from. */
    byte[] mutate(byte[] seed, List<byte[]> others) {
        byte[] b = seed.clone();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) b = once(b, others);
        return b.length > MAX_LENGTH ? Arrays.copyOf(b, MAX_LENGTH) : b;
    }

    private byte[] once(byte[] b, List<byte[]> others) {
        if (b.length == 0) return new byte[] {(byte) random.nextInt(256)};
        return switch (random.nextInt(11)) {
            case 0 -> flipBits(b);
            case 1 -> setByte(b);
            case 2, 3 -> overflowField(b);
            case 4 -> Arrays.copyOf(b, random.nextInt(b.length));                       // truncate
            case 5 -> splice(b, others.get(random.nextInt(others.size())));
            case 6 -> grow(b);
            case 7 -> repeat(b);
            case 8 -> nest(b);
            case 9 -> rewriteNumber(b);
            default -> delete(b);
        };
    }

    private byte[] flipBits(byte[] b) {
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        return b;
    }

    private byte[] setByte(byte[] b) {
        int[] values = {0, 1, 0x7f, 0x80, 0xff, '[', '{', '"', '\n', ' '};
        b[random.nextInt(b.length)] = (byte) values[random.nextInt(values.length)];
        return b;
    }

    /** A 4- or 8-byte field set to a boundary value, big- or little-endian, at an aligned offset near the start or anywhere. */
    private byte[] overflowField(byte[] b) {
        int width = random.nextBoolean() ? 4 : 8;
        if (b.length < width) return b;
        int limit = random.nextInt(4) == 0 ? b.length - width : Math.min(b.length - width, 64);
        int at = random.nextInt(limit + 1) / 4 * 4;
        at = Math.min(at, b.length - width);
        long v = INTERESTING[random.nextInt(INTERESTING.length)];
        if (random.nextInt(4) == 0) v += random.nextInt(17) - 8;
        ByteBuffer buf = ByteBuffer.wrap(b).order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (width == 4) buf.putInt(at, (int) v);
        else buf.putLong(at, v);
        return b;
    }

    private byte[] splice(byte[] b, byte[] other) {
        if (other.length == 0) return b;
        int from = random.nextInt(other.length);
        int len = 1 + random.nextInt(Math.min(other.length - from, 4096));
        return insert(b, random.nextInt(b.length + 1), Arrays.copyOfRange(other, from, from + len));
    }

    private byte[] grow(byte[] b) {
        byte[] extra = new byte[1 + random.nextInt(random.nextBoolean() ? 64 : 65536)];
        if (random.nextBoolean()) random.nextBytes(extra);
        return insert(b, random.nextBoolean() ? b.length : random.nextInt(b.length + 1), extra);
    }

    private byte[] repeat(byte[] b) {
        int from = random.nextInt(b.length);
        int len = 1 + random.nextInt(Math.min(b.length - from, 512));
        int times = 2 + random.nextInt(random.nextBoolean() ? 8 : 2000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, from + len);
        for (int i = 1; i < times && out.size() < MAX_LENGTH; i++) out.write(b, from, len);
        out.write(b, from + len, b.length - from - len);
        return out.toByteArray();
    }

    private byte[] nest(byte[] b) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        int depth = 1 + random.nextInt(random.nextBoolean() ? 100 : 20_000);
        byte[] nested = open.repeat(depth).getBytes(StandardCharsets.US_ASCII);
        return insert(b, random.nextInt(b.length + 1), nested);
    }

    /** Replaces a run of ASCII digits (a JSON number, a list-file label) with a boundary number. */
    private byte[] rewriteNumber(byte[] b) {
        int start = random.nextInt(b.length);
        while (start < b.length && !Character.isDigit(b[start])) start++;
        if (start == b.length) return flipBits(b);
        int end = start;
        while (end < b.length && Character.isDigit(b[end])) end++;
        byte[] number = NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length - (end - start) + number.length];
        System.arraycopy(b, 0, out, 0, start);
        System.arraycopy(number, 0, out, start, number.length);
        System.arraycopy(b, end, out, start + number.length, b.length - end);
        return out;
    }

    private byte[] delete(byte[] b) {
        int from = random.nextInt(b.length);
        int len = 1 + random.nextInt(Math.min(b.length - from, 256));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, from + len, out, from, b.length - from - len);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
        byte[] out = new byte[b.length + piece.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(b, at, out, at + piece.length, b.length - at);
        return out;
    }
}
