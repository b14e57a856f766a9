package dev.pledge.core.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A policy document is bounded before it is parsed, so a huge one is refused at once with a clear
 * message (issue 19: one 1-3 MB quoted string took 1.8-9.8 s to load; 4 MB was refused after 17 s).
 */
class PolicyLoaderBoundsTest {
  private final PolicyLoader loader = PolicyLoader.create();

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // generous for a loaded machine; the refusal reads no YAML
  void aDocumentLargerThanTheCapIsRefusedBeforeParsing() {
    String huge = "organisation:\n  name: \"" + "x".repeat(4 * 1024 * 1024) + "\"\n";
    assertThatThrownBy(() -> loader.load("p.yaml", huge))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml")
        .hasMessageContaining("larger than " + PolicyLoader.MAX_DOCUMENT_CHARACTERS + " characters");
    assertThatThrownBy(() -> loader.load("p.yaml", new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("larger than " + PolicyLoader.MAX_DOCUMENT_CHARACTERS + " characters");
  }

  @Test
  void aScalarLongerThanTheCapIsRefusedNamingItsLine() {
    String big = "organisation:\n  name: \"" + "x".repeat(PolicyLoader.MAX_SCALAR_CHARACTERS + 1) + "\"\n";
    assertThatThrownBy(() -> loader.load("p.yaml", big))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml:2")
        .hasMessageContaining("longer than " + PolicyLoader.MAX_SCALAR_CHARACTERS + " characters")
        .hasMessageNotContaining("StreamReadConstraints").hasMessageNotContaining("REDACTED");
    // the same string folded over many short lines
    String folded = "organisation:\n  name: \"" + ("x".repeat(70) + "\n   ").repeat(PolicyLoader.MAX_SCALAR_CHARACTERS / 70 + 2)
        + "\"\n";
    assertThatThrownBy(() -> loader.load("p.yaml", folded))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("longer than " + PolicyLoader.MAX_SCALAR_CHARACTERS + " characters")
        .hasMessageNotContaining("StreamReadConstraints").hasMessageNotContaining("REDACTED");
  }

  @Test
  void aDirectoryOrANonUtf8FileIsRefusedInTheUsersWords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    assertThatThrownBy(() -> loader.load(dir))
        .isInstanceOf(PolicyException.class).hasMessageContaining("is a directory, not a policy document");
    java.nio.file.Path latin1 = dir.resolve("p.yaml");
    java.nio.file.Files.write(latin1, "organisation:\n  name: Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> loader.load(latin1))
        .isInstanceOf(PolicyException.class).hasMessageContaining("is not UTF-8 text")
        .hasMessageNotContaining("MalformedInput");
  }

  @Test
  void deepNestingIsRefusedWithAClearMessage() {
    String deep = "organisation: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    assertThatThrownBy(() -> loader.load("p.yaml", deep))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml")
        .hasMessageNotContaining("StreamReadConstraints").hasMessageNotContaining("REDACTED");
  }
}
