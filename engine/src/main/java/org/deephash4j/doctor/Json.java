package org.deephash4j.doctor;

/**
 * The two pieces of JSON text the report needs, by hand (the engine depends on nothing but the
 * JDK): a string with its escapes (RFC 8259 §7) and a number, where NaN and the infinities,
 * which JSON cannot hold, become {@code null}.
 */
final class Json {
    private Json() {
    }

    /** {@code "..."} with quotes, backslashes and control characters escaped; {@code null} for null. */
    static String string(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** The shortest text that reads back as {@code x} ({@link Double#toString}); {@code null} for NaN and infinities. */
    static String number(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return "null";
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        return Double.toString(x);
    }
}
