package dev.pledge.sla.aws;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.sla.severity.SlaPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads pledge-sla's test policies (its test jar's {@code policies/} folder). */
final class TestPolicies {
  private TestPolicies() {}

  /** The text of {@code policies/NAME}. */
  static String text(String name) {
    try (InputStream in = TestPolicies.class.getResourceAsStream("/policies/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test policy " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document {@code policies/NAME}, loaded with every discovered section. */
  static PolicyDocument load(String name) {
    return PolicyLoader.create().load(name, text(name));
  }

  /** The {@code sla} section of the bundled policy's copy. */
  static SlaPolicy bundled() {
    return load("sla-good.yaml").require(SlaPolicy.class);
  }
}
