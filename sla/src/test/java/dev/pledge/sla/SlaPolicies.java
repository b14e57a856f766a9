package dev.pledge.sla;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.sla.severity.SlaPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the test policies kept in {@code src/test/resources/policies}. */
public final class SlaPolicies {
  private SlaPolicies() {}

  /** The text of {@code policies/NAME}. */
  public static String text(String name) {
    try (InputStream in = SlaPolicies.class.getResourceAsStream("/policies/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test policy " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document {@code policies/NAME}, loaded with every discovered section. */
  public static PolicyDocument load(String name) {
    return PolicyLoader.create().load(name, text(name));
  }

  /** The {@code sla} section of the bundled policy's copy. */
  public static SlaPolicy bundled() {
    return load("sla-good.yaml").require(SlaPolicy.class);
  }
}
