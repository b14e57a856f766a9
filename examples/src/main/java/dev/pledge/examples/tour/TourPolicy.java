package dev.pledge.examples.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pledge.core.policy.PolicyDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy text the tour's deployment runs on: the given policy as written, except that an on-call
 * rotation which, on the tour's date, has not started long enough ago starts earlier by whole turns
 * of its members. The tour's deployment has always been running: whatever date the tour is run on,
 * its rotation has covered the months before it, and the week-by-week order of who is on call is
 * the one the policy wrote (moving the start by whole cycles changes no week after the written start).
 */
final class TourPolicy {
  /** How long before the tour's date every rotation must already run: a year and more of history. */
  static final Duration RUNNING_BEFORE = Duration.ofDays(400);
  private static final Pattern STARTS_ON = Pattern.compile("(startsOn:\\s*[\"']?)(\\d{4}-\\d{2}-\\d{2})");

  private TourPolicy() {}

  /** The YAML text of {@code policy}: the bundled resource, or the file it was loaded from. */
  static String text(PolicyDocument policy) throws IOException {
    if (policy.source().startsWith("bundled:")) {
      try (InputStream in = TourPolicy.class.getResourceAsStream("/policy.yaml")) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return Files.readString(Path.of(policy.source()), StandardCharsets.UTF_8);
  }

  /**
   * {@code text} with each on-call rotation's {@code startsOn} moved back by whole cycles (7 days
   * times its members) until it lies at least {@link #RUNNING_BEFORE} before {@code now}; the text
   * unchanged when every rotation already does, or when its rotations cannot be matched line by line.
   */
  static String rotationsRunningBy(String text, Instant now) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(text);
    JsonNode rotations = root == null ? null : root.path("oncall").path("rotations");
    if (rotations == null || !rotations.isArray() || rotations.isEmpty()) {
      return text;
    }
    List<Integer> members = new ArrayList<>();
    rotations.forEach(r -> members.add(Math.max(1, r.path("members").size())));
    Matcher m = STARTS_ON.matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(2), m.end(2)});
    }
    if (spans.size() != members.size()) {
      return text; // a startsOn elsewhere, or one not written as a date: leave the policy as written
    }
    LocalDate latest = now.minus(RUNNING_BEFORE).atOffset(ZoneOffset.UTC).toLocalDate();
    StringBuilder out = new StringBuilder(text);
    for (int i = spans.size() - 1; i >= 0; i--) {
      int[] s = spans.get(i);
      LocalDate start = LocalDate.parse(text.substring(s[0], s[1]));
      long cycle = 7L * members.get(i);
      if (start.isAfter(latest)) {
        long cycles = (java.time.temporal.ChronoUnit.DAYS.between(latest, start) + cycle - 1) / cycle;
        out.replace(s[0], s[1], start.minusDays(cycles * cycle).toString());
      }
    }
    return out.toString();
  }
}
