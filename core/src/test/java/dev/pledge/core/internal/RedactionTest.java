package dev.pledge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "postgresql://app:Sup3r^Secret@db.internal:5432/shop|postgresql://app:***@db.internal:5432/shop",
      "postgres:postgresql://app:p@ss/w@rd@db/shop|postgres:postgresql://app:***@db/shop",
      "postgresql://app@db/shop|postgresql://app@db/shop",
      "redis://s3cret@127.0.0.1:6379|redis://***@127.0.0.1:6379",
      "redis://:s3cret@127.0.0.1:6379/0|redis://:***@127.0.0.1:6379/0",
      "jdbc:postgresql://db/shop?user=app&password=s3cret&ssl=true|jdbc:postgresql://db/shop?user=app&password=***&ssl=true",
      "s3://b/p?region=eu-west-2&endpoint=http://u:s3cret@h:9090|s3://b/p?region=eu-west-2&endpoint=http://u:***@h:9090",
      "No suitable driver found for jdbc:x://db/x?sslPassword=s3cret now|No suitable driver found for jdbc:x://db/x?sslPassword=*** now",
      "cannot reach http://u:s3cret@h/x (timed out) for a@b|cannot reach http://u:***@h/x (timed out) for a@b",
      "file:/var/backups|file:/var/backups",
  })
  void passwordsInLocationsAreMasked(String in, String out) {
    assertThat(Redaction.location(in)).isEqualTo(out);
  }
}
