package io.s3logroutes.s3;

import io.s3logroutes.config.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The application's S3 connection as beans find it by type: the client whose calls retry ({@code s3logs.s3.*}) and
 * its settings. The registry also holds a second {@code S3Client}, {@code shipS3Client} (one attempt per call, for
 * the ship-put route's aws2-s3 producer), so a lookup of {@code S3Client} by type would be ambiguous.
 */
public record S3Connection(S3Client client, S3Settings settings) {
}
