package io.s3logroutes.collapse;

/** A period (or one group of it) cannot be collapsed; the message names the key concerned. */
public class CollapseException extends RuntimeException {

    public CollapseException(String message) {
        super(message);
    }

    public CollapseException(String message, Throwable cause) {
        super(message, cause);
    }
}
