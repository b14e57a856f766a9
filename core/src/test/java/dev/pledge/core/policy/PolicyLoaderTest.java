package dev.pledge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyLoaderTest {

  enum Kind { FULL, LOG }

  /** A stand-in for a module's section type, with the shapes real sections use. */
  record Schedule(@JsonProperty(required = true) Duration every, @AllowZero Duration jitter, Kind kind) {}

  record TestBackups(List<Schedule> schedules, Period keep, Percentage target, Integer copies, Boolean encrypted) {
    TestBackups {
      if (copies != null && copies < 1) {
        throw new IllegalArgumentException("copies must be at least 1, got " + copies);
      }
    }
  }

  private static final String GOOD = """
      organisation:
        name: Example Ltd
        sites:
          - id: shop
            environments: [production, staging]
      hosting:
        regions: [eu-west-2, eu-west-1]
      backups:
        keep: 3 months
        target: 99.9%
        schedules:
          - every: 5m
            kind: LOG
          - every: 1 day
            jitter: 0s
      """;

  private final PolicyLoader loader = PolicyLoader.builder().discover()
      .register(SectionDescriptor.of("backups", TestBackups.class)
          .withCheck((name, s, warnings) -> {
            if (s.copies() == null) {
              warnings.accept(new PolicyWarning(name + ".copies", "p10/copies", "one copy only; P10 asks for several"));
            }
          }))
      .build();

  @Test
  void bindsEachSectionToItsModulesType() {
    PolicyDocument doc = loader.load("policy.yaml", GOOD);

    assertThat(doc.require(OrganisationPolicy.class).site(SiteId.of("shop"))).isPresent();
    assertThat(doc.require(OrganisationPolicy.class).scopes()).hasSize(2);
    assertThat(doc.require(HostingPolicy.class).allows("us-east-1")).isFalse();
    TestBackups b = doc.require(TestBackups.class);
    assertThat(b.keep()).isEqualTo(Period.ofMonths(3));
    assertThat(b.target()).isEqualTo(Percentage.parse("99.9"));
    assertThat(b.schedules()).extracting(Schedule::every).containsExactly(Duration.ofMinutes(5), Duration.ofDays(1));
    assertThat(b.schedules().get(1).jitter()).isZero();
    assertThat(doc.sectionNames()).containsExactly("organisation", "hosting", "backups");
  }

  @Test
  void checksReportWarningsWithoutFailing() {
    PolicyDocument doc = loader.load("policy.yaml", GOOD);
    assertThat(doc.warnings()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("backups.copies");
      assertThat(w.rule()).isEqualTo("p10/copies");
    });
  }

  @Test
  void theEffectivePolicyPrintsDurationsAsPeopleWriteThem() {
    String yaml = loader.load("policy.yaml", GOOD).toYaml();
    assertThat(yaml).contains("every: 5m").contains("every: 1d").contains("keep: 3 months")
        .contains("target: 99.9%").contains("replicateAcrossZones: true");
    // and it loads again to the same sections
    assertThat(loader.load("effective.yaml", yaml).require(TestBackups.class))
        .isEqualTo(loader.load("policy.yaml", GOOD).require(TestBackups.class));
  }

  @Test
  void stringsThatLookLikeNumbersSurviveTheRoundTrip() {
    String yaml = loader.load("p.yaml", "organisation:\n  name: '502'\n  sites:\n    - id: shop\n").toYaml();
    assertThat(loader.load("effective.yaml", yaml).require(OrganisationPolicy.class).name()).isEqualTo("502");
  }

  @Test
  void jsonDocumentsLoadToo() {
    PolicyDocument doc = loader.load("policy.json", """
        {"hosting": {"regions": ["eu-west-1"]}, "backups": {"schedules": [{"every": "PT5M"}]}}
        """);
    assertThat(doc.require(HostingPolicy.class).regions()).containsExactly("eu-west-1");
  }

  @Test
  void aSectionOfAModuleNotOnTheClassPathIsKeptWithAWarning() {
    PolicyDocument doc = PolicyLoader.create().load("p.yaml", "sla:\n  tiers: []\nhosting: {}\n");
    assertThat(doc.unboundSectionNames()).containsExactly("sla");
    assertThat(doc.warnings()).anySatisfy(w -> assertThat(w.message())
        .startsWith("section 'sla' is not checked: no Pledge module on the class path binds it (bound: ")
        .contains("hosting"));
  }

  @Test
  void coreNamesNoModulesSectionsOnlyThoseItsProvidersDeclare() {
    // with core alone, the other modules' sections are simply not bound: core keeps no list of them
    PolicyDocument doc = PolicyLoader.create().load("p.yaml", "passwords: {}\ntotp: {}\nloginThrottle: {}\n");
    assertThat(doc.unboundSectionNames()).containsExactlyInAnyOrder("passwords", "totp", "loginThrottle");
    assertThat(PolicyLoader.create().sectionNames()).doesNotContain("passwords", "backups", "sla");
  }

  @Test
  void loadsFromAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("company.yaml");
    Files.writeString(file, "hosting:\n  regions: [us-east-1x]\n");
    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith(file + ":2:3: hosting: regions: 'us-east-1x'");
    assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // name | document | line | column | path | problem
      "zero duration|backups:\\n  schedules:\\n    - every: 5m\\n    - every: 0m\\n|4|14|backups.schedules[1].every|must be greater than zero",
      "negative duration|backups:\\n  schedules:\\n    - every: -5m\\n|3|14|backups.schedules[0].every|must not be negative",
      "number for duration|backups:\\n  schedules:\\n    - every: 300\\n|3|14|backups.schedules[0].every|needs a unit",
      "unknown duration unit|backups:\\n  schedules:\\n    - every: 5 fortnights\\n|3|14|backups.schedules[0].every|unknown unit",
      "missing required|backups:\\n  schedules:\\n    - kind: LOG\\n|3|0|backups.schedules[0].every|missing required key 'every'",
      "empty value|backups:\\n  schedules:\\n    - every:\\n|3|0|backups.schedules[0].every|a value is required",
      "unknown key|backups:\\n  schedules:\\n    - evry: 5m\\n|3|7|backups.schedules[0].evry|unknown key 'evry'; did you mean 'every'?",
      "unknown section|hostng:\\n  regions: []\\n|1|1|hostng|unknown section 'hostng'; did you mean 'hosting'?",
      "percentage over 100|backups:\\n  target: 100.5%\\n|2|11|backups.target|at most 100",
      "percentage zero|backups:\\n  target: 0\\n|2|11|backups.target|greater than 0",
      "wrong type|backups:\\n  copies: two\\n|2|11|backups.copies|expected a whole number",
      "string for integer|backups:\\n  copies: '2'\\n|2|11|backups.copies|",
      "float for integer|backups:\\n  copies: 2.5\\n|2|11|backups.copies|",
      "boolean as text|backups:\\n  encrypted: 'yes'\\n|2|14|backups.encrypted|",
      "bad enum|backups:\\n  schedules:\\n    - every: 5m\\n      kind: HOURLY\\n|4|13|backups.schedules[0].kind|one of FULL, LOG",
      "month in a duration|backups:\\n  schedules:\\n    - every: 1 month\\n|3|14|backups.schedules[0].every|calendar period",
      "minutes in a period|backups:\\n  keep: 3m\\n|2|9|backups.keep|means minutes",
      "constructor check|backups:\\n  copies: 0\\n|2||backups|copies must be at least 1, got 0",
      "bad site id|organisation:\\n  name: X\\n  sites:\\n    - id: Shop Front\\n|4|11|organisation.sites[0].id|must be 1-63 lower-case",
      "bad region|hosting:\\n  regions: [moon-1]\\n|2||hosting|is not a region code",
      "duplicate key|hosting:\\n  tlsOnly: true\\n  tlsOnly: false\\n|3|0|hosting.tlsOnly|the key 'tlsOnly' appears twice",
      "top-level list|- a\\n- b\\n|1|1||a mapping of sections",
      "yaml syntax|hosting:\\n  regions: [eu-west-2\\n|2|12||expected ',' or ']', but found the end of the document",
      "list for a mapping|hosting: [a, b]\\n|1|10|hosting|expected a mapping",
  })
  void rejectsWithFileLineColumnAndPath(String name, String document, Integer line, Integer column,
      String path, String problem) {
    String doc = document.replace("\\n", "\n");
    assertThatThrownBy(() -> loader.load("policy.yaml", doc))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.source()).isEqualTo("policy.yaml");
          assertThat(e.getMessage()).startsWith("policy.yaml:");
          if (line != null) {
            assertThat(e.line()).as("line of " + e.getMessage()).isEqualTo(line);
          } else {
            assertThat(e.line()).as("line of " + e.getMessage()).isPositive();
          }
          if (column != null && column > 0) {
            assertThat(e.column()).as("column of " + e.getMessage()).isEqualTo(column);
          }
          if (path != null) {
            assertThat(e.path()).as("path of " + e.getMessage()).isEqualTo(path);
          }
          if (problem != null) {
            assertThat(e.problem()).as("problem").contains(problem);
          }
          assertThat(e.getMessage()).doesNotContain("dev.pledge").doesNotContain("java.");
        });
  }

  @Test
  void anEmptyDocumentIsAnError() {
    assertThatThrownBy(() -> loader.load("policy.yaml", "")).hasMessage("policy.yaml: the document is empty");
  }

  @Test
  void twoModulesCannotOwnOneSection() {
    assertThatThrownBy(() -> PolicyLoader.builder()
        .register(SectionDescriptor.of("backups", TestBackups.class))
        .register(SectionDescriptor.of("backups", Schedule.class)))
        .hasMessageContaining("registered twice");
  }
}
