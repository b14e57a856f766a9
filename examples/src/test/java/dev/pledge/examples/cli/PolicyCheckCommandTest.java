package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyCheckCommandTest {
  private static final Path BAD = Path.of("src/test/resources/policies/bad");

  @Test
  void theBundledPolicyIsValidAndPrintedWithItsDefaults() {
    CliRun run = CliRun.of("policy", "check");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).contains("bundled:policy.yaml: valid")
        .contains("organisation:").contains("name: Zaltek").contains("- eu-west-2");
  }

  @Test
  void jsonGivesTheEffectivePolicyAsOneDocument() {
    CliRun run = CliRun.of("policy", "check", "--json");
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode json = run.json();
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("policy").get("hosting").get("regions").get(0).asText()).isEqualTo("eu-west-2");
    assertThat(json.get("sections")).isNotEmpty();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("01-unknown-section.yaml", 5, "pasword", "unknown section 'pasword'; did you mean 'passwords'?"),
        Arguments.of("02-unknown-key.yaml", 3, "hosting.tlsOnyl", "unknown key 'tlsOnyl'; did you mean 'tlsOnly'?"),
        Arguments.of("03-missing-required.yaml", 2, "organisation.name", "missing required key 'name'"),
        Arguments.of("04-empty-value.yaml", 2, "organisation.name", "a value is required"),
        Arguments.of("05-wrong-type.yaml", 3, "hosting.tlsOnly", "true or false"),
        Arguments.of("06-bad-site-id.yaml", 5, "organisation.sites[1].id", "'Customer Portal'"),
        Arguments.of("07-region-outside-format.yaml", 2, "hosting", "'london' is not a region code"),
        Arguments.of("08-duplicate-key.yaml", 3, "hosting.regions", "Duplicate field 'regions'"),
        Arguments.of("09-yaml-syntax.yaml", 3, "", "flow sequence"),
        Arguments.of("10-not-a-mapping.yaml", 1, "", "a mapping of sections"),
        Arguments.of("11-list-for-mapping.yaml", 4, "organisation.sites[0]", "expected a mapping"),
        Arguments.of("12-duplicate-site.yaml", 2, "organisation", "site 'shop' is listed twice"),
        Arguments.of("13-bad-json.json", 4, "hosting.tlsOnly", "true or false"),
        Arguments.of("14-empty-environments-entry.yaml", 5, "organisation.sites[0].environments[1]", "'Production'"),
        Arguments.of("15-trailing-document.yaml", 4, "", "after the policy document"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedPolicyExitsTwoNamingFileLineAndKey(String name, int line, String path, String problem) {
    Path file = BAD.resolve(name);
    assertThat(file).exists();

    CliRun run = CliRun.of("policy", "check", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    String prefix = "pledge: " + file + ":" + line + ":";
    assertThat(run.err()).as("stderr").startsWith(prefix).contains(problem);
    if (!path.isEmpty()) {
      assertThat(run.err()).contains(": " + path + ": ");
    }
  }

  @Test
  void jsonReportsTheErrorFieldByFieldAndStillExitsTwo() {
    Path file = BAD.resolve("02-unknown-key.yaml");
    CliRun run = CliRun.of("policy", "check", "--json", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode err = run.json().get("error");
    assertThat(err.get("file").asText()).isEqualTo(file.toString());
    assertThat(err.get("line").asInt()).isEqualTo(3);
    assertThat(err.get("path").asText()).isEqualTo("hosting.tlsOnyl");
  }

  @Test
  void aMissingFileIsBadInput() {
    CliRun run = CliRun.of("policy", "check", "no-such-policy.yaml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no-such-policy.yaml").contains("no such file");
  }

  @Test
  void thereAreAtLeastTwelveMalformedPolicies() throws Exception {
    try (Stream<Path> files = Files.list(BAD)) {
      assertThat(files.count()).isGreaterThanOrEqualTo(12).isEqualTo(malformed().count());
    }
  }

  @Test
  void unknownCommandsAndBadOptionsAreUsageErrors() {
    assertThat(CliRun.of("polcy").exitCode()).isEqualTo(2);
    CliRun badNow = CliRun.of("policy", "check", "--now", "yesterday");
    assertThat(badNow.exitCode()).isEqualTo(2);
    assertThat(badNow.err()).contains("--now").contains("'yesterday' is not an ISO-8601 instant");
    CliRun badZone = CliRun.of("policy", "check", "--zone", "Mars/Olympus");
    assertThat(badZone.exitCode()).isEqualTo(2);
    assertThat(badZone.err()).contains("unknown zone 'Mars/Olympus'");
    assertThat(CliRun.of("--help").exitCode()).isEqualTo(0);
    assertThat(CliRun.of("--help").out()).contains("policy").contains("tour");
  }
}
