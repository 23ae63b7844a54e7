package io.s3logroutes.config;

/** A setting is missing or malformed. The message names the key and is meant to be shown as one line. */
public class ConfigException extends StartupException {
    public ConfigException(String message) {
        super(message);
    }
}
