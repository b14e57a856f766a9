package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordCommandTest {

  @Test
  void checkListsEveryViolationAsJsonAndExitsOne() {
    CliRun run = CliRun.withInput("hunter2\n", "password", "check", "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode j = run.json();
    assertThat(j.get("valid").asBoolean()).isFalse();
    List<String> codes = new ArrayList<>();
    j.get("violations").forEach(v -> codes.add(v.get("code").asText()));
    assertThat(codes).contains("TOO_SHORT", "MISSING_UPPERCASE", "MISSING_SYMBOL");
    j.get("violations").forEach(v -> assertThat(v.get("message").asText()).isNotBlank().doesNotContain("hunter"));
    assertThat(run.out()).doesNotContain("hunter2");
  }

  @Test
  void aGoodPasswordIsValidWithExitZero() {
    CliRun run = CliRun.withInput("Vx9!kTq#r2Lm\n", "password", "check");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo("valid");
  }

  @Test
  void theUserNameAndTheOrganisationAreContextWords() {
    CliRun run = CliRun.withInput("Ada!Lovelace9x\n", "password", "check", "--user", "lovelace", "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("violations").get(0).get("code").asText()).isEqualTo("CONTAINS_CONTEXT_WORD");
    CliRun org = CliRun.withInput("Zaltek!Rocks9x\n", "password", "check", "--json");
    assertThat(org.json().toString()).contains("CONTAINS_CONTEXT_WORD");
  }

  @Test
  void batchPrintsOneJsonLinePerPassword() {
    CliRun run = CliRun.withInput("Vx9!kTq#r2Lm\npassword\n", "password", "check", "--batch", "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("{\"valid\":true");
    assertThat(lines.get(1)).startsWith("{\"valid\":false").contains("COMMON_PASSWORD");
  }

  @Test
  void noPasswordOnStdinIsBadInput() {
    CliRun run = CliRun.withInput("", "password", "check");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no password on stdin");
  }

  @Test
  void hashThenVerifyRoundTripsWithThePolicyCost(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("p.yaml");
    Files.writeString(policy, "passwords:\n  hashing:\n    cost: 4\n");
    CliRun hash = CliRun.withInput("correct horse\n", "password", "hash", "--policy", policy.toString());
    assertThat(hash.exitCode()).as(hash.err()).isZero();
    String h = hash.out().strip();
    assertThat(h).startsWith("$2b$04$").hasSize(60);
    CliRun ok = CliRun.withInput("correct horse\n", "password", "verify", "--hash", h, "--json", "--policy", policy.toString());
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.json().get("verified").asBoolean()).isTrue();
    Path file = dir.resolve("hash.txt");
    Files.writeString(file, h + "\n");
    CliRun bad = CliRun.withInput("correct horsf\n", "password", "verify", "--hash-file", file.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out().strip()).isEqualTo("mismatch");
  }

  @Test
  void verifiesHashesFromOtherTools() {
    CliRun run = CliRun.withInput("rasmuslerdorf\n", "password", "verify", "--hash",
        "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  @Test
  void aMalformedHashIsBadInputNamingTheOption() {
    CliRun run = CliRun.withInput("pw\n", "password", "verify", "--hash", "$2b$04$nope");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--hash: malformed bcrypt hash");
    CliRun both = CliRun.withInput("pw\n", "password", "verify");
    assertThat(both.exitCode()).isEqualTo(2);
  }

  @Test
  void aPasswordOverBcryptsLimitIsRefusedNotTruncated() {
    CliRun run = CliRun.withInput("x".repeat(80) + "\n", "password", "hash");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("80 UTF-8 bytes").doesNotContain("xxxx");
  }

  @Test
  void batchCheckOnEmptyInputIsBadInput() {
    CliRun run = CliRun.withInput("", "password", "check", "--batch");
    assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
    assertThat(run.err()).contains("no password");
    assertThat(run.out()).isEmpty();
  }
}
