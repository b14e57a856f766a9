package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /**
   * The bundled policy with an SMS phone for someone the oncall section does not know (a document
   * check's warning, located at the key) and an uptime target below P2 (a section check's warning,
   * with no location).
   */
  private static Path policyWithWarnings(Path dir) throws Exception {
    String bundled = Files.readString(Path.of("src/main/resources/policy.yaml"));
    String phones = "maria: PLEDGE_PHONE_MARIA}";
    String target = "  target: 99.9%";
    assertThat(bundled).contains(phones).contains(target);
    Path file = dir.resolve("warned.yaml");
    Files.writeString(file, bundled.replace(phones, "maria: PLEDGE_PHONE_MARIA, zed: PLEDGE_PHONE_ZED}")
        .replace(target, "  target: 99.5%"));
    return file;
  }

  /** The 1-based line and column where {@code token} first stands in {@code file}. */
  private static int[] lineAndColumn(Path file, String token) throws Exception {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      int at = lines.get(i).indexOf(token);
      if (at >= 0) {
        return new int[] {i + 1, at + 1};
      }
    }
    throw new AssertionError(token + " is not in " + file);
  }

  @Test
  void jsonWarningsCarryTheirLocationBesideTheExistingFields(@TempDir Path dir) throws Exception {
    Path file = policyWithWarnings(dir);
    int[] zed = lineAndColumn(file, "zed: PLEDGE_PHONE_ZED");

    CliRun run = CliRun.of("policy", "check", "--json", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    JsonNode phone = warning(run.json(), "p4/unknown-phone");
    assertThat(phone.get("path").asText()).isEqualTo("alerts.sms.phones.zed");
    assertThat(phone.get("message").asText()).startsWith("'zed' is not an engineer of the oncall section");
    assertThat(phone.get("file").asText()).isEqualTo(file.toString());
    assertThat(phone.get("line").isInt()).isTrue();
    assertThat(phone.get("line").asInt()).isEqualTo(zed[0]);
    assertThat(phone.get("column").asInt()).isEqualTo(zed[1]);
    assertThat(phone.get("location").asText()).isEqualTo(file + ":" + zed[0] + ":" + zed[1]);
    // a warning whose place is not known keeps exactly the fields it always had
    JsonNode target = warning(run.json(), "p2/target");
    assertThat(target.get("path").asText()).isEqualTo("uptime.target");
    assertThat(target.get("message").asText()).contains("below the 99.9% that P2 promises");
    List<String> fields = new ArrayList<>();
    target.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("path", "rule", "message");
  }

  @Test
  void humanOutputPutsAWarningsFileLineAndColumnBeforeItsPath(@TempDir Path dir) throws Exception {
    Path file = policyWithWarnings(dir);
    int[] zed = lineAndColumn(file, "zed: PLEDGE_PHONE_ZED");

    CliRun run = CliRun.of("policy", "check", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).contains("# warning: " + file + ":" + zed[0] + ":" + zed[1]
        + ": alerts.sms.phones.zed: 'zed' is not an engineer of the oncall section")
        .contains("# warning: uptime.target: target 99.5")
        .contains("[p2/target]");
  }

  private static JsonNode warning(JsonNode json, String rule) {
    for (JsonNode w : json.get("warnings")) {
      if (w.get("rule").asText().equals(rule)) {
        return w;
      }
    }
    throw new AssertionError("no " + rule + " warning in " + json.get("warnings"));
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
        Arguments.of("08-duplicate-key.yaml", 3, "hosting.regions", "the key 'regions' appears twice"),
        Arguments.of("09-yaml-syntax.yaml", 3, "", "(in the list '[' opened at line 2, column 12)"),
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
