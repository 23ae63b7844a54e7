package io.s3logroutes.event;

import java.util.List;

/**
 * A chunk of events as an input reads it (one read of a file, one datagram or frame of syslog, one part of an S3
 * object): the body of the event stage, with the input's name and the file, peer or key it came from.
 */
public record EventChunk(List<LogEvent> events, String input, String source) {
}
