package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionCommandTest {
  @TempDir
  Path dir;

  Path file(String content) throws Exception {
    Path f = dir.resolve("backups.jsonl");
    Files.writeString(f, content);
    return f;
  }

  static List<String> ids(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.get("id").asText()));
    return out;
  }

  @Test
  void plansWithTheKeepFlagsAndPrintsOneJsonDocument() throws Exception {
    Path f = file("""
        {"id": "b1", "time": "2026-11-18T06:30:00Z"}
        {"id": "b2", "time": "2026-11-19T06:30:00Z"}

        {"id": "b3", "time": "2026-11-20T06:30:00Z"}
        {"id": "b4", "time": "2026-11-20T07:30:00Z", "size": 2048}
        """);
    CliRun run = CliRun.of("retention", "plan", "--backups", f.toString(), "--now", "2026-11-21T00:00:00Z",
        "--keep-daily", "2", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(ids(json.get("keep"))).containsExactly("b4", "b2");
    assertThat(json.get("keep").get(0).get("reasons").get(0).asText()).isEqualTo("daily");
    assertThat(json.get("keep").get(0).get("time").asText()).isEqualTo("2026-11-20T07:30:00Z");
    assertThat(ids(json.get("delete"))).containsExactly("b3", "b1");
    assertThat(json.get("archive")).isEmpty();
  }

  @Test
  void borgAndResticSemanticsAndTheZoneChangeTheAnswer() throws Exception {
    // 23:30 UTC on 31 March is already April in London
    Path f = file("""
        {"id": "a", "time": "2026-03-31T23:30:00Z"}
        {"id": "b", "time": "2026-03-31T22:30:00Z"}
        """);
    String[] base = {"retention", "plan", "--backups", f.toString(), "--now", "2026-04-02T00:00:00Z",
        "--keep-monthly", "1", "--json"};
    assertThat(ids(CliRun.of(base).json().get("keep"))).containsExactly("a");
    List<String> london = new ArrayList<>(List.of(base));
    london.addAll(List.of("--zone", "Europe/London", "--semantics", "borg"));
    JsonNode json = CliRun.of(london.toArray(String[]::new)).json();
    assertThat(ids(json.get("keep"))).containsExactly("a");
    assertThat(json.get("keep").get(0).get("reasons").get(0).asText()).isEqualTo("monthly #1");
  }

  @Test
  void withoutKeepFlagsTheBundledPolicyDecidesAndOldBackupsAreArchived() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int m = 1; m <= 10; m++) {
      lines.append(String.format("{\"id\": \"m%d\", \"time\": \"2026-%02d-15T03:00:00Z\"}%n", m, m));
    }
    CliRun run = CliRun.of("retention", "plan", "--backups", file(lines.toString()).toString(),
        "--now", "2026-11-01T00:00:00Z", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    // the bundled policy keeps 24 monthly; the hot period is 3 months: older ones go to GLACIER
    assertThat(ids(json.get("keep"))).containsExactly("m10", "m9", "m8");
    assertThat(json.get("archive")).hasSize(7);
    assertThat(json.get("archive").get(0).get("reasons").toString()).contains("GLACIER");
    assertThat(json.get("delete")).isEmpty();
  }

  @Test
  void aPlanThatWouldBreakARestoreChainIsRefused() throws Exception {
    Path f = file("""
        {"id": "i1", "time": "2026-11-20T06:30:00Z", "kind": "incremental", "parent": "f0"}
        """);
    CliRun run = CliRun.of("retention", "plan", "--backups", f.toString(), "--now", "2026-11-21T00:00:00Z",
        "--keep-last", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("'i1'").contains("parent 'f0'");
  }

  @Test
  void dependenciesAreKept() throws Exception {
    Path f = file("""
        {"id": "f0", "time": "2026-11-19T06:30:00Z", "kind": "full"}
        {"id": "i1", "time": "2026-11-20T06:30:00Z", "kind": "incremental", "parent": "f0"}
        """);
    JsonNode json = CliRun.of("retention", "plan", "--backups", f.toString(), "--now", "2026-11-21T00:00:00Z",
        "--keep-last", "1", "--json").json();
    assertThat(ids(json.get("keep"))).containsExactly("i1", "f0");
    assertThat(json.get("keep").get(1).get("reasons").get(0).asText()).isEqualTo("needed by i1");
  }

  @Test
  void badInputNamesTheLineAndFieldWithExitTwo() throws Exception {
    String good = "{\"id\": \"b1\", \"time\": \"2026-11-18T06:30:00Z\"}\n";
    String[][] cases = {
        {good + "{\"id\": \"b2\", \"time\": \"yesterday\"}\n", ":2: field 'time'"},
        {good + "{\"time\": \"2026-11-18T06:30:00Z\"}\n", ":2: field 'id': missing"},
        {good + good, ":2: field 'id': 'b1' already appears on line 1"},
        {"{\"id\": \"b1\", \"time\": \"2026-11-18T06:30:00Z\", \"kind\": \"differential\"}\n", ":1: field 'kind'"},
        {"{\"id\": \"b1\", \"time\": \"2026-11-18T06:30:00Z\", \"size\": -4}\n", ":1: field 'size'"},
        {"{\"id\": \"b1\", \"tme\": \"2026-11-18T06:30:00Z\"}\n", ":1: field 'tme': unknown field"},
        {"[1, 2]\n", ":1: expected a JSON object"},
        {"{\"id\": \"b1\",\n", ":1: not a JSON object"},
    };
    for (String[] c : cases) {
      Path f = file(c[0]);
      CliRun run = CliRun.of("retention", "plan", "--backups", f.toString(), "--keep-last", "1", "--json");
      assertThat(run.exitCode()).as(c[1] + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).contains(f + c[1]).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(run.out()).isEmpty();
    }
    assertThat(CliRun.of("retention", "plan", "--backups", dir.resolve("none.jsonl").toString()).exitCode())
        .isEqualTo(2);
    Path f = file(good);
    CliRun bad = CliRun.of("retention", "plan", "--backups", f.toString(), "--semantics", "rsync");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--semantics").contains("'rsync'");
    assertThat(CliRun.of("retention", "plan", "--backups", f.toString(), "--keep-within", "soon").exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of("retention", "plan", "--backups", f.toString(), "--keep-daily", "0").exitCode())
        .isEqualTo(2);
  }

  @Test
  void textOutputListsEveryDecision() throws Exception {
    Path f = file("{\"id\": \"b1\", \"time\": \"2026-11-18T06:30:00Z\"}\n{\"id\": \"b2\", \"time\": \"2026-11-19T06:30:00Z\"}\n");
    CliRun run = CliRun.of("retention", "plan", "--backups", f.toString(), "--now", "2026-11-21T00:00:00Z",
        "--keep-last", "1");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("keep").contains("b2").contains("delete").contains("# 1 keep, 0 archive, 1 delete");
  }
}
