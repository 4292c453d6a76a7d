package org.deephash4j.spark;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Passes rows through, except that the first attempt of one partition's task throws after {@code after} rows,
 * once per {@link #reset}. Spark runs the tests in this JVM (local mode), so the count of injected failures is
 * visible to the test.
 */
final class FailOnce implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger FAILURES = new AtomicInteger();
    private final int partition;
    private final int after;

    FailOnce(int partition, int after) {
        this.partition = partition;
        this.after = after;
    }

    static void reset() {
        FAILURES.set(0);
    }

    /** How many failures were injected since the last reset. */
    static int failures() {
        return FAILURES.get();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        boolean fail = task.partitionId() == partition && task.attemptNumber() == 0;
        return new Iterator<>() {
            private int passed;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                if (fail && passed == after) {
                    FAILURES.incrementAndGet();
                    throw new IllegalStateException("injected failure: partition " + partition + ", attempt 0, after "
                            + after + " rows");
                }
                passed++;
                return rows.next();
            }
        };
    }
}
