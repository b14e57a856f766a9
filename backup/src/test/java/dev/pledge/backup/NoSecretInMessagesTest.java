package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.store.S3Location;
import dev.pledge.backup.store.Stores;
import dev.pledge.core.policy.PolicyLoader;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parser of a location or URL is fed values that carry a password, well-formed or not, and no
 * message it produces holds the password (issue 19; STYLE.md: a secret never reaches a message).
 */
class NoSecretInMessagesTest {
  private static final String SECRET = "Sup3r^Secret";

  /** Values with the secret in every place a careless writer puts one. */
  static List<String> urls() {
    return List.of(
        "postgres:postgresql://app:" + SECRET + "@db.internal:5432/shop",
        "postgresql://app:" + SECRET + "@db.internal:5432/shop",
        "postgresql://app:Sup3rSecret@db.internal:5432/shop".replace("Sup3rSecret", SECRET.replace("^", "")),
        "mysql://root:" + SECRET + "@[::1/shop",
        "postgresql://app:" + SECRET + "/x@db/shop",
        "postgresql://app@db/shop?password=" + SECRET,
        "postgresql://app@db/shop?sslpassword=" + SECRET + "&x=1",
        "s3://AKIAEXAMPLE:" + SECRET + "@bucket/p?region=eu-west-2",
        "s3://bucket/p?region=eu-west-2&secret=" + SECRET,
        "s3://bucket/p?region=eu-west-2&endpoint=http://u:" + SECRET + "@127.0.0.1:9090",
        "s3://bucket/p?region=eu-west-2&endpoint=http://u:" + SECRET + "@127.0.0.1:9090 x",
        "ftp://u:" + SECRET + "@host/x",
        "jdbc:postgresql://db/shop?user=app&password=" + SECRET,
        "redis://:" + SECRET + "@127.0.0.1:6379");
  }

  private static void assertNoSecret(String value, Consumer<String> parser) {
    Throwable t = catchThrowable(() -> parser.accept(value));
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(String.valueOf(c.getMessage())).as("message for %s", value)
          .doesNotContain(SECRET).doesNotContain(SECRET.replace("^", "")).doesNotContain("Sup3r");
      assertThat(c.toString()).doesNotContain("Sup3r");
    }
  }

  @ParameterizedTest
  @MethodSource("urls")
  void databaseUrlsNeverEchoAPassword(String url) {
    assertNoSecret(url, DatabaseUrl::parse);
    assertNoSecret(url.replaceFirst("^postgres:", ""), DatabaseUrl::parse);
  }

  @ParameterizedTest
  @MethodSource("urls")
  void storeLocationsNeverEchoAPassword(String url) {
    assertNoSecret(url, Stores::validate);
    assertNoSecret(url, S3Location::parse);
  }

  @ParameterizedTest
  @MethodSource("urls")
  void policyLoaderErrorsNeverEchoAPassword(String url) {
    PolicyLoader loader = PolicyLoader.create();
    String quoted = "\"" + url.replace("\"", "\\\"") + "\"";
    assertNoSecret("backups:\n  locations: [" + quoted + ", file:/tmp/x]\n", y -> loader.load("p.yaml", y));
    assertNoSecret("backups:\n  locations: [file:/a, file:/b]\n  sources:\n    - {site: shop, environment: production,"
        + " source: " + quoted + "}\n", y -> loader.load("p.yaml", y));
    assertNoSecret("backups:\n  locations: [file:/a, file:/b]\n  sources:\n    - {site: shop, environment: production,"
        + " source: " + quoted + ", extra: " + quoted + "}\n", y -> loader.load("p.yaml", y));
    // a value of the wrong type is echoed by Jackson unless the loader says it in its own words
    assertNoSecret("backups:\n  minimumLocations: " + quoted + "\n", y -> loader.load("p.yaml", y));
    assertNoSecret("backups:\n  locations: " + quoted + "\n", y -> loader.load("p.yaml", y));
  }
}
