package dev.pledge.examples.quickstart;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The bundled policy, which encodes every promise; a host application loads its own file instead. */
final class Bundled {
  private Bundled() {}

  static PolicyDocument policy() {
    try (InputStream in = Bundled.class.getResourceAsStream("/policy.yaml")) {
      if (in == null) {
        throw new IllegalStateException("policy.yaml is missing from the class path");
      }
      return PolicyLoader.create().load("bundled:policy.yaml", in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
