package org.deephash4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the progress line prints in each mode, and the duration format. */
class ProgressTest {
    @Test
    void durations() {
        assertEquals("0s", Progress.duration(0));
        assertEquals("59s", Progress.duration(59.4));
        assertEquals("1m00s", Progress.duration(59.6));
        assertEquals("1m05s", Progress.duration(65));
        assertEquals("59m59s", Progress.duration(3599));
        assertEquals("1h00m", Progress.duration(3600));
        assertEquals("2h01m", Progress.duration(7290));
        assertEquals("?", Progress.duration(Double.NaN));
        assertEquals("?", Progress.duration(Double.POSITIVE_INFINITY));
    }

    private static List<String> lines(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aLogFileGetsOneLineForEachTenthOfAnEpoch() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(b, true, StandardCharsets.UTF_8), "line");
        for (int step = 1; step <= 20; step++) p.update(1, 3, step, 20, step, 60, 0.5, 128L * step, 0);
        List<String> lines = lines(b);
        // tenths 0, 1, ..., 10 begin at steps 1, 2, 4, 6, ..., 20
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertTrue(lines.getFirst().startsWith("epoch 1/3  step 1/20  loss 0.5000  "), lines.getFirst());
        assertTrue(lines.get(1).startsWith("epoch 1/3  step 2/20  "), lines.get(1));
        assertTrue(lines.getLast().startsWith("epoch 1/3  step 20/20  "), lines.getLast());
        assertTrue(lines.getLast().matches(".* [0-9]+ images/s  ETA [0-9]+s"), lines.getLast());
        p.message("epoch 1/3 done");
        assertEquals("epoch 1/3 done", lines(b).getLast());
        // a resumed run knows no rate of its own until a step has run: ETA unknown
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        new Progress(new PrintStream(r, true, StandardCharsets.UTF_8), "line").update(2, 3, 1, 20, 20, 60, 0.25, 128, 20);
        assertTrue(lines(r).getFirst().endsWith("ETA ?"), lines(r).getFirst());
    }

    @Test
    void aTerminalLineIsRewrittenInPlaceAndEndedAtTheEpochsEnd() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(b, true, StandardCharsets.UTF_8), "tty");
        p.update(1, 1, 1, 3, 1, 3, 0.75, 10, 0);
        String first = b.toString(StandardCharsets.UTF_8);
        assertTrue(first.startsWith("\repoch 1/1  step 1/3  loss 0.7500") && first.endsWith("\033[K"), first);
        p.update(1, 1, 2, 3, 2, 3, 0.7, 20, 0);     // within 0.25 s of the last print: not printed
        assertFalse(b.toString(StandardCharsets.UTF_8).contains("step 2/3"), b.toString(StandardCharsets.UTF_8));
        p.message("note");       // ends the pending line first
        assertTrue(b.toString(StandardCharsets.UTF_8).endsWith("\033[K" + System.lineSeparator() + "note" + System.lineSeparator()));
        b.reset();
        p.update(1, 1, 3, 3, 3, 3, 0.5, 30, 0);
        assertTrue(b.toString(StandardCharsets.UTF_8).endsWith("\033[K" + System.lineSeparator()), "the last step ends the line");
        b.reset();
        p.message("done");
        assertEquals("done" + System.lineSeparator(), b.toString(StandardCharsets.UTF_8), "no empty line when none is pending");
    }

    @Test
    void offPrintsNothing() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(b, true, StandardCharsets.UTF_8), "off");
        for (int step = 1; step <= 5; step++) p.update(1, 1, step, 5, step, 5, 0.5, 10, 0);
        assertEquals("", b.toString(StandardCharsets.UTF_8));
    }
}
