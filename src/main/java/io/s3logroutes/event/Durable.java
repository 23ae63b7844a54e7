package io.s3logroutes.event;

/**
 * What an input does once an event is durable (fsync'd in the ship spool): for example save the offset after the
 * event's line. Of each {@code source} only the latest is kept, so an action carries a position, not a delta. Not a
 * field: it travels with the event through the event stage and is never written.
 */
public record Durable(String source, Runnable action) {
}
