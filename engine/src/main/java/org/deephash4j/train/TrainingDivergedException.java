package org.deephash4j.train;

/** Training stopped because a loss or a gradient became NaN or infinite; the message says where. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
