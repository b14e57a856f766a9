package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.retention.ColdStorageClass;
import dev.pledge.backup.store.S3Location;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.time.MutableClock;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 13: every config builder of the module has {@code toBuilder()}, and builder, build,
 * {@code toBuilder()}, build gives the same configuration. Nothing here reaches S3: building sends no
 * request.
 */
class ToBuilderTest {
  private static final MutableClock CLOCK = MutableClock.at("2026-11-02T09:00:00Z");
  // a client to a port nothing listens on: the builders only hold it
  private static final S3Client S3 = S3Client.builder().region(Region.EU_WEST_2)
      .endpointOverride(URI.create("http://127.0.0.1:9")).forcePathStyle(true)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
      .httpClientBuilder(UrlConnectionHttpClient.builder()).build();

  @AfterAll
  static void close() {
    S3.close();
  }

  static Stream<Arguments> builders() {
    S3Location location = S3Location.parse("s3://backups/shop?region=eu-west-2");
    return Stream.of(
        of("S3RetentionExecutor", () -> S3RetentionExecutor.builder(S3, location, Scope.of("shop", "production"))
            .coldStorageClass(ColdStorageClass.DEEP_ARCHIVE).clock(CLOCK).auditTrail(AuditTrail.inMemory())
            .actor("ops").dryRun(false).deleteBatchSize(10)),
        of("S3CheckpointPublisher", () -> S3CheckpointPublisher.builder(location).client(S3)
            .retention(Duration.ofDays(400)).clock(CLOCK)));
  }

  private static Arguments of(String name, Supplier<Object> builder) {
    return Arguments.of(name, builder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void builderBuildToBuilderBuildKeepsEverySetting(String name, Supplier<Object> builder) throws Exception {
    Object given = builder.get();
    Object copy = call(call(given, "build"), "toBuilder");
    assertThat(copy).as(name).usingRecursiveComparison().ignoringExpectedNullFields().isEqualTo(given);
    Object again = call(call(copy, "build"), "toBuilder");
    assertThat(again).as(name).usingRecursiveComparison().isEqualTo(copy);
  }

  static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }
}
