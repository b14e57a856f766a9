package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UptimeCommandTest {
  @TempDir
  Path dir;

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void reportsAThirtyOneDayMonthInUtcAsJson() throws Exception {
    // 30 minutes + overlapping 40-minute record (merged to 40), a 30 s blip (ignored) and an hour
    // of maintenance announced 4 days ahead (excluded)
    Path outages = file("outages.jsonl", """
        {"start": "2026-10-03T10:00:00Z", "end": "2026-10-03T10:30:00Z"}
        {"start": "2026-10-03T10:10:00Z", "end": "2026-10-03T10:40:00Z"}

        {"start": "2026-10-04T10:00:00Z", "end": "2026-10-04T10:00:30Z"}
        {"start": "2026-10-10T02:00:00Z", "end": "2026-10-10T03:00:00Z"}
        """);
    Path maint = file("maint.jsonl", """
        {"start": "2026-10-10T02:00:00Z", "end": "2026-10-10T03:00:00Z", "announced": "2026-10-06T02:00:00Z"}
        """);
    CliRun run = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10", "--zone", "UTC",
        "--outages", outages.toString(), "--maintenance", maint.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode j = run.json();
    assertThat(j.get("site").asText()).isEqualTo("shop");
    assertThat(j.get("month").asText()).isEqualTo("2026-10");
    assertThat(j.get("minutes").asLong()).isEqualTo(44_640);
    assertThat(j.get("downMinutes").decimalValue()).isEqualByComparingTo("40");
    assertThat(j.get("excludedMinutes").decimalValue()).isEqualByComparingTo("60");
    // (44640 - 40) / 44640 = 99.91039...%
    assertThat(j.get("uptimePercent").decimalValue()).isEqualByComparingTo("99.9103");
    assertThat(j.get("target").decimalValue()).isEqualByComparingTo("99.9");
    assertThat(j.get("met").asBoolean()).isTrue();
    assertThat(j.get("maintenance").get(0).get("reason").asText()).isEqualTo("ANNOUNCED_IN_TIME");
    assertThat(run.out().strip().lines()).hasSize(1);
  }

  @Test
  void maintenanceAnnouncedOneMinuteLateCountsAndTheTargetIsMissed() throws Exception {
    Path outages = file("o.jsonl", "{\"start\": \"2026-11-10T02:00:00Z\", \"end\": \"2026-11-10T03:00:00Z\"}\n");
    Path maint = file("m.jsonl", "{\"start\": \"2026-11-10T02:00:00Z\", \"end\": \"2026-11-10T03:00:00Z\", "
        + "\"announced\": \"2026-11-07T02:01:00Z\"}\n");
    CliRun run = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-11",
        "--outages", outages.toString(), "--maintenance", maint.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode j = run.json();
    assertThat(j.get("downMinutes").decimalValue()).isEqualByComparingTo("60");
    assertThat(j.get("excludedMinutes").decimalValue()).isEqualByComparingTo("0");
    assertThat(j.get("met").asBoolean()).isFalse();
    assertThat(j.get("maintenance").get(0).get("reason").asText()).isEqualTo("LATE_NOTICE");
  }

  @Test
  void theBundledPolicysLondonZoneAppliesWithoutZoneAndWritesHtml() throws Exception {
    Path outages = file("o.jsonl", "{\"start\": \"2026-09-30T22:30:00Z\", \"end\": \"2026-09-30T23:30:00Z\"}\n");
    Path html = dir.resolve("report.html");
    CliRun run = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10",
        "--outages", outages.toString(), "--html", html.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().get("minutes").asLong()).isEqualTo(44_700);
    assertThat(run.json().get("downMinutes").decimalValue()).isEqualByComparingTo("30");
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg").contains("class=\"down\"")
        .contains("99.9328%").doesNotContain("<script").doesNotContain("http://www.w3.org/1999");
  }

  @Test
  void humanOutputSaysWhetherTheTargetWasMet() throws Exception {
    Path outages = file("o.jsonl", "");
    CliRun run = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-02", "--outages", outages.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("shop 2026-02").contains("uptime 100% against 99.9%: met").contains("40320 minutes");
  }

  @Test
  void aBadLineNamesFileLineAndField() throws Exception {
    Path outages = file("bad.jsonl", """
        {"start": "2026-10-03T10:00:00Z", "end": "2026-10-03T10:30:00Z"}
        {"start": "2026-10-03T10:00:00Z", "end": "yesterday"}
        """);
    CliRun run = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10", "--outages", outages.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(outages + ":2: end: 'yesterday' is not an ISO-8601 instant");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void otherBadInputsExitTwoNamingTheProblem() throws Exception {
    Path missingEnd = file("a.jsonl", "{\"start\": \"2026-10-03T10:00:00Z\"}\n");
    Path notJson = file("b.jsonl", "\n\nstart=now\n");
    Path backwards = file("c.jsonl", "{\"start\": \"2026-10-03T10:00:00Z\", \"end\": \"2026-10-03T09:00:00Z\"}\n");
    Path typo = file("d.jsonl", "{\"start\": \"2026-10-03T10:00:00Z\", \"ends\": \"2026-10-03T11:00:00Z\"}\n");
    Path noAnnounce = file("e.jsonl", "{\"start\": \"2026-10-03T10:00:00Z\", \"end\": \"2026-10-03T11:00:00Z\"}\n");
    Path ok = file("ok.jsonl", "");
    assertBad(missingEnd + ":1: end: missing", "--outages", missingEnd.toString());
    assertBad(notJson + ":3: not valid JSON", "--outages", notJson.toString());
    assertBad(backwards + ":1: end: 2026-10-03T09:00:00Z is not after start", "--outages", backwards.toString());
    assertBad(typo + ":1: ends: unknown field", "--outages", typo.toString());
    assertBad(noAnnounce + ":1: announced: missing", "--outages", ok.toString(), "--maintenance", noAnnounce.toString());
    assertBad(dir.resolve("nope.jsonl") + ": no such file", "--outages", dir.resolve("nope.jsonl").toString());
  }

  @Test
  void badSiteAndMonthExitTwo() throws Exception {
    Path ok = file("ok.jsonl", "");
    CliRun month = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-13", "--outages", ok.toString());
    assertThat(month.exitCode()).isEqualTo(2);
    assertThat(month.err()).contains("--month: '2026-13' is not a month");
    CliRun site = CliRun.of("uptime", "report", "--site", "Shop Front", "--month", "2026-10", "--outages", ok.toString());
    assertThat(site.exitCode()).isEqualTo(2);
    assertThat(site.err()).contains("--site: site id must be");
  }

  private void assertBad(String message, String... extra) {
    String[] args = new String[6 + extra.length];
    String[] base = {"uptime", "report", "--site", "shop", "--month", "2026-10"};
    System.arraycopy(base, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void theCurrentMonthIsJudgedUpToNowAndMarkedPartial() throws Exception {
    // one hour down on the first of the month, reported one day in: 95.83% so far, not 99.87%
    Path outages = file("now.jsonl", "{\"start\": \"2026-12-01T10:00:00Z\", \"end\": \"2026-12-01T11:00:00Z\"}\n");
    CliRun run = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-12", "--zone", "UTC",
        "--now", "2026-12-02T00:00:00Z", "--outages", outages.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode j = run.json();
    assertThat(j.get("partial").asBoolean()).isTrue();
    assertThat(j.get("asOf").asText()).isEqualTo("2026-12-02T00:00:00Z");
    assertThat(j.get("minutes").asLong()).as("the day that has passed").isEqualTo(1440);
    assertThat(j.get("end").asText()).isEqualTo("2026-12-02T00:00:00Z");
    assertThat(j.get("uptimePercent").decimalValue()).isEqualByComparingTo("95.8333");
    assertThat(j.get("met").asBoolean()).isFalse();
  }
}
