package io.s3logroutes.examples.boot;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A Spring Boot application whose Camel routes ({@code src/main/resources/camel/}, camel-spring-boot's default
 * location) use the kamelets of s3-log-routes. Both kamelets use the application's {@link S3Client} bean
 * ({@code s3Client: "#bean:logsS3Client"}), which Spring closes.
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    @Bean(destroyMethod = "close")
    public S3Client logsS3Client(@Value("${example.region}") String region,
                                 @Value("${example.endpoint:}") String endpoint,
                                 @Value("${example.access-key:}") String accessKey,
                                 @Value("${example.secret-key:}") String secretKey) {
        AwsCredentialsProvider credentials = accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        S3ClientBuilder b = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials);
        if (!endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return b.build();
    }
}
