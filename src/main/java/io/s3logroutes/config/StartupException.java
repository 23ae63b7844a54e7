package io.s3logroutes.config;

/**
 * The application cannot start (bad setting, unreachable endpoint, missing bucket). The launcher prints the message
 * as one line, without a stack trace, and exits with status 2.
 */
public class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
