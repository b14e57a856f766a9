package dev.pledge.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import dev.pledge.core.testing.Requirements;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComplianceReportTest {
  private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

  static ComplianceReport sample() {
    Charts charts = new Charts(
        List.of(new Charts.UptimeTimeline("shop", Instant.parse("2026-10-01T00:00:00Z"),
            Instant.parse("2026-11-01T00:00:00Z"),
            List.of(new Charts.Segment(Instant.parse("2026-10-07T10:00:00Z"), Instant.parse("2026-10-07T10:20:00Z"), "down"),
                new Charts.Segment(Instant.parse("2026-10-20T02:00:00Z"), Instant.parse("2026-10-20T03:00:00Z"), "maintenance")),
            "99.955", "99.9")),
        List.of(new Charts.BackupPoint(Instant.parse("2026-07-01T00:00:00Z"), "archive"),
            new Charts.BackupPoint(Instant.parse("2026-08-01T00:00:00Z"), "delete"),
            new Charts.BackupPoint(Instant.parse("2026-10-31T00:00:00Z"), "keep")),
        List.of(new Charts.SlaResponse("R-1", "Gold", Duration.ofMinutes(95), Duration.ofMinutes(120)),
            new Charts.SlaResponse("R-2", "Bronze", Duration.ofHours(50), Duration.ofHours(48))));
    return ComplianceReport.builder("Zaltek <Ltd>", "bundled:policy.yaml", T)
        .kept(2, "October uptime 99.955% against 99.9%", Map.of("shop 2026-10", "99.955%"))
        .notKept(34, "R-9 answered after 150 min", Map.of("R-9", "150 min / 120 min"))
        .notApplicable(22, "TLS is terminated by the load balancer, outside the library")
        .charts(charts)
        .build();
  }

  @Test
  void everyPromiseAppearsOnceInOrderAndTheUnmeasuredAreNotClaimed() {
    ComplianceReport r = sample();
    assertThat(r.promises()).hasSize(40);
    assertThat(r.promise(2).status()).isEqualTo(PromiseStatus.KEPT);
    assertThat(r.promise(1).status()).isEqualTo(PromiseStatus.NO_EVIDENCE);
    assertThat(r.promise(1).summary()).contains("no evidence");
    assertThat(r.counts()).containsEntry(PromiseStatus.KEPT, 1).containsEntry(PromiseStatus.NOT_APPLICABLE, 1)
        .containsEntry(PromiseStatus.NOT_KEPT, 1).containsEntry(PromiseStatus.NO_EVIDENCE, 37);
    assertThat(r.failing()).hasSize(39).noneMatch(p -> p.status() == PromiseStatus.KEPT);
  }

  @Test
  void aFailedMeasurementIsNotHiddenByALaterPass() {
    ComplianceReport r = ComplianceReport.builder("o", "p", T)
        .notKept(7, "backup missed", Map.of("gap", "12 min"))
        .kept(7, "backups every 5 minutes", Map.of("count", "288"))
        .build();
    assertThat(r.promise(7).status()).isEqualTo(PromiseStatus.NOT_KEPT);
  }

  @Test
  void anErrorNamesTheExceptionButDoesNotReplaceWhatWasMeasured() {
    ComplianceReport r = ComplianceReport.builder("o", "p", T)
        .kept(38, "rotation checked", Map.of("on call", "alice"))
        .error(38, "the alerts step", new IllegalStateException("boom"))
        .error(4, "the alerts step", new IllegalStateException("boom"))
        .build();
    assertThat(r.promise(38).status()).isEqualTo(PromiseStatus.KEPT);
    assertThat(r.promise(4).status()).isEqualTo(PromiseStatus.ERROR);
    assertThat(r.promise(4).summary()).isEqualTo("the alerts step failed: IllegalStateException: boom");
  }

  @Test
  void keptNeedsEvidence() {
    assertThatThrownBy(() -> ComplianceReport.builder("o", "p", T).kept(1, "trust me", Map.of()))
        .hasMessageContaining("without evidence");
    assertThatThrownBy(() -> ComplianceReport.builder("o", "p", T).notApplicable(41, "x"))
        .hasMessageContaining("no promise P41");
  }

  @Test
  void theJsonCarriesTheSameContentFieldByField() throws Exception {
    ComplianceReport r = sample();
    JsonNode j = Json.mapper().readTree(r.toJson());
    assertThat(j.get("organisation").asText()).isEqualTo("Zaltek <Ltd>");
    assertThat(j.get("generatedAt").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(j.get("promises")).hasSize(40);
    JsonNode p2 = j.get("promises").get(1);
    assertThat(p2.get("promise").get("number").asInt()).isEqualTo(2);
    assertThat(p2.get("status").asText()).isEqualTo("KEPT");
    assertThat(p2.get("evidence").get("shop 2026-10").asText()).isEqualTo("99.955%");
    assertThat(j.get("charts").get("responses").get(1).get("responseTime").asText()).isEqualTo("PT50H");
    assertThat(j.get("charts").get("uptime").get(0).get("segments")).hasSize(2);
  }

  @Test
  void thePageIsSelfContainedAndEscapesText() {
    String html = sample().toHtml();
    assertThat(html).contains("Zaltek &lt;Ltd&gt;").doesNotContain("Zaltek <Ltd>");
    assertThat(html).doesNotContain("<script")
        .doesNotContain("@import").doesNotContain("url(");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
    assertThat(countMatches(html, "<tr id=\"P")).isEqualTo(40);
    assertThat(html).contains("<svg").contains("shop &#8212; 99.955% (target 99.9%)");
    assertThat(html).as("the 3-month mark on the backups chart").contains("3 months ago (1 Aug): newer kept hot, older to Glacier");
  }

  @Test
  void theBundledCatalogMatchesPromisesMd() throws Exception {
    Path md = Path.of("../../shared/PROMISES.md");
    if (!Files.exists(md)) {
      md = Path.of("../shared/PROMISES.md");
    }
    // PROMISES.md is the project's shared document, not part of this repository nor a service: a clone
    // without it beside (a fresh machine, even in CI) has nothing to compare, so the check is skipped.
    Assumptions.assumeTrue(Files.exists(md),
        "shared/PROMISES.md is not beside the repository; the bundled copy is not compared this run");
    Pattern line = Pattern.compile("^- P(\\d+)\\s+(.*)$");
    int n = 0;
    List<Promise> all = Promise.all();
    for (String l : Files.readAllLines(md)) {
      Matcher m = line.matcher(l);
      if (m.matches()) {
        Promise p = all.get(n++);
        assertThat(p.number()).isEqualTo(Integer.parseInt(m.group(1)));
        assertThat(p.text()).isEqualTo(m.group(2).strip());
      }
    }
    assertThat(n).isEqualTo(all.size()).isEqualTo(40);
  }

  @Test
  void chromiumRendersThePageWithItsCharts(@TempDir Path dir) throws Exception {
    Path chromium = Requirements.requireCommand("chromium", "apt-get install chromium");
    Path page = dir.resolve("report.html");
    Files.writeString(page, sample().toHtml());
    Path png = dir.resolve("report.png");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"),
        "--window-size=1000,1400", "--screenshot=" + png, page.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();

    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1000);
    int nonWhite = 0;
    Set<Integer> colours = new HashSet<>();
    boolean green = false;
    boolean red = false;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          nonWhite++;
        }
        green |= near(rgb, 0x3fb96b);
        red |= near(rgb, 0xd64545);
      }
    }
    double share = nonWhite / (img.getWidth() * img.getHeight() / 4.0);
    assertThat(share).as("share of painted pixels").isGreaterThan(0.05);
    assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
    assertThat(green).as("the uptime bar's green is on the page").isTrue();
    assertThat(red).as("the outage's red is on the page").isTrue();
  }

  private static boolean near(int rgb, int target) {
    int dr = Math.abs(((rgb >> 16) & 0xff) - ((target >> 16) & 0xff));
    int dg = Math.abs(((rgb >> 8) & 0xff) - ((target >> 8) & 0xff));
    int db = Math.abs((rgb & 0xff) - (target & 0xff));
    return dr + dg + db < 24;
  }

  private static int countMatches(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
      n++;
    }
    return n;
  }
}
