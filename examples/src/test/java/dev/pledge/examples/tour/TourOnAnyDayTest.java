package dev.pledge.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.examples.report.PromiseResult;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour keeps every promise on any date: whoever is on call that week, across Christmas cover,
 * New Year, Saturday nights and both of Europe/London's clock changes. The days run in this one JVM
 * (a full run each, about a second once warm), so the whole calendar costs what a few launches of
 * {@code ./pledge tour} would.
 */
class TourOnAnyDayTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static String policyText;

  /**
   * The bundled policy with bcrypt at cost 10 instead of 12: the hashing cost has nothing to do with
   * the date and is a quarter of each run's time at 12 (TourCommandTest runs the tour at the policy's
   * own cost). Everything else is the bundled policy as written.
   */
  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = TourOnAnyDayTest.class.getResourceAsStream("/policy.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(yaml).contains("    cost: 12\n");
      policyText = yaml.replace("    cost: 12\n", "    cost: 10\n");
      PolicyLoader.create().load("bundled:policy.yaml", policyText); // loads as the bundled one does
    }
  }

  /**
   * 21 consecutive days from the Sunday before Christmas 2026 to 9 January 2027 (three on-call weeks,
   * the policy's Christmas override, New Year, three Saturday nights), each at a different time of
   * day, then both clock changes of 2027 on either side of the switch, and just after midnight in summer.
   */
  static List<Instant> days() {
    List<Instant> out = new ArrayList<>();
    LocalDate first = LocalDate.of(2026, 12, 20);
    for (int i = 0; i < 21; i++) {
      LocalDate day = first.plusDays(i);
      // Saturday nights at 23:30 London; other days walk round the clock, 7 h 13 min apart.
      ZonedDateTime at = day.getDayOfWeek() == DayOfWeek.SATURDAY
          ? day.atTime(23, 30).atZone(LONDON)
          : day.atStartOfDay(LONDON).plus(Duration.ofMinutes((i * 433L) % (24 * 60)));
      out.add(at.toInstant());
    }
    // Last Sundays of March and October 2027: clocks go forward at 01:00 UTC, back at 01:00 UTC. Then
    // a minute past midnight in summer, when 3 months reach back 93 calendar days (a random draw found it).
    Stream.of("2027-03-28T00:59:30Z", "2027-03-28T01:00:30Z", "2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z",
            "2027-10-23T23:01:09Z")
        .map(Instant::parse).forEach(out::add);
    // Before the bundled rotation's first handoff (2026-10-26) and long before it: a leap day, a
    // winter Wednesday, the evening the rotation's written start is due.
    Stream.of("2025-01-15T10:00:00Z", "2024-02-29T21:45:00Z", "2026-10-25T18:00:00Z")
        .map(Instant::parse).forEach(out::add);
    return out;
  }

  /** Two instants drawn from the 400 days after 1 December 2026, as the project's stop hook draws them. */
  static List<Instant> randomDays(long seed) {
    java.util.Random r = new java.util.Random(seed);
    Instant from = Instant.parse("2026-12-01T00:00:00Z");
    return List.of(from.plusSeconds(r.nextInt(400 * 86_400)), from.plusSeconds(r.nextInt(400 * 86_400)));
  }

  @Test
  void everyPromiseIsKeptOnEveryDay(@TempDir Path tmp) {
    long seed = new java.util.Random().nextLong();
    List<Instant> all = new ArrayList<>(days());
    all.addAll(randomDays(seed));
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Instant now : all) {
      ByteArrayOutputStream narration = new ByteArrayOutputStream();
      Tour.Result r = Tour.run("bundled:policy.yaml", policyText, tmp.resolve("run-" + n++), now,
          new PrintStream(narration, true, StandardCharsets.UTF_8));
      if (!r.ok()) {
        failures.add(now + " (" + now.atZone(LONDON).getDayOfWeek() + "): failed steps " + r.failedSteps() + "; "
            + r.report().failing().stream().map(PromiseResult::summary).toList() + "\n"
            + narration.toString(StandardCharsets.UTF_8));
      }
    }
    assertThat(n).isEqualTo(31);
    assertThat(failures).as("days on which the tour did not keep every promise (random days from seed " + seed + ")")
        .isEmpty();
  }
}
