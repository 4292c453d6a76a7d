package org.deephash4j.model;

/**
 * Images that do not fit a model: another size or channel count than the backbone takes, as
 * {@code fashion-mnist holds 1x28x28 images but model cifarnet takes 3x32x32}. The input is at
 * fault, not the call, so the command line reports it as a bad input file.
 */
public final class InputMismatchException extends IllegalArgumentException {
    public InputMismatchException(String message) {
        super(message);
    }
}
