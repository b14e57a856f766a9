package dev.pledge.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import dev.pledge.core.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decides exactly as the real {@code restic forget} and {@code borg prune} do: tiny repositories
 * whose snapshots carry chosen times across month, ISO-week, year and DST boundaries (Europe/London
 * and America/New_York), compared backup by backup, rule by rule.
 */
class DifferentialTest {
  /** UTC instants around the boundaries that bucket keys disagree on. */
  static final List<Instant> TIMES = List.of(
      "2025-12-31T23:30:00Z", "2026-01-01T00:30:00Z",                          // year
      "2026-03-28T23:30:00Z", "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z",  // London spring forward
      "2026-03-29T22:59:00Z", "2026-03-29T23:30:00Z",
      "2026-03-31T22:30:00Z", "2026-03-31T23:30:00Z",                          // month in BST, not UTC
      "2026-06-15T10:00:00Z", "2026-06-15T10:20:00Z", "2026-06-15T11:05:00Z",  // hours
      "2026-10-25T00:10:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:40:00Z",  // London fall back
      "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z",                          // New York fall back
      "2026-12-27T12:00:00Z", "2026-12-28T12:00:00Z",                          // ISO week 52 -> 53
      "2027-01-03T12:00:00Z", "2027-01-04T12:00:00Z")                          // 2026-W53 -> 2027-W01
      .stream().map(Instant::parse).toList();

  /** Flag sets: {restic/borg flags..., with our rules built from the same numbers}. */
  static final List<List<String>> FLAGS = List.of(
      List.of("--keep-last", "3", "--keep-daily", "4"),
      List.of("--keep-hourly", "5", "--keep-weekly", "3"),
      List.of("--keep-daily", "2", "--keep-monthly", "4", "--keep-yearly", "2"),
      List.of("--keep-daily", "30"),
      List.of("--keep-last", "2", "--keep-hourly", "30", "--keep-weekly", "10", "--keep-monthly", "6",
          "--keep-yearly", "3"),
      List.of("--keep-weekly", "4", "--keep-monthly", "2"));

  static RetentionRules rulesOf(List<String> flags) {
    RetentionRules.Builder b = RetentionRules.builder();
    for (int i = 0; i < flags.size(); i += 2) {
      String v = flags.get(i + 1);
      switch (flags.get(i)) {
        case "--keep-last" -> b.last(Integer.parseInt(v));
        case "--keep-hourly" -> b.hourly(Integer.parseInt(v));
        case "--keep-daily" -> b.daily(Integer.parseInt(v));
        case "--keep-weekly" -> b.weekly(Integer.parseInt(v));
        case "--keep-monthly" -> b.monthly(Integer.parseInt(v));
        case "--keep-yearly" -> b.yearly(Integer.parseInt(v));
        case "--keep-within" -> b.within(Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))));
        default -> throw new IllegalArgumentException(flags.get(i));
      }
    }
    return b.build();
  }

  @Test
  void decidesAsResticForgetDoes(@TempDir Path dir) throws Exception {
    Path restic = Requirements.requireCommand("restic", "apt-get install restic");
    String zone = "Europe/London";
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("f"), "x");
    Path repo = dir.resolve("repo");
    Map<String, String> env = Map.of("RESTIC_PASSWORD", "test", "RESTIC_REPOSITORY", repo.toString(),
        "TZ", zone, "RESTIC_CACHE_DIR", dir.resolve("cache").toString());
    run(env, restic.toString(), "init", "-q");
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    for (Instant t : TIMES) {
      run(env, restic.toString(), "backup", "-q", "--host", "h", "--time",
          f.format(LocalDateTime.ofInstant(t, ZoneId.of(zone))), data.toString());
    }
    // restic parses --time in local time; in the fall-back hour it may pick either offset, so read
    // back the instants it stored and plan over exactly those.
    JsonNode snaps = Json.mapper().readTree(run(env, restic.toString(), "snapshots", "--json"));
    List<BackupRecord> backups = new ArrayList<>();
    for (JsonNode s : snaps) {
      backups.add(BackupRecord.of(s.get("short_id").asText(), Instant.parse(s.get("time").asText())));
    }
    assertThat(backups).hasSize(TIMES.size());

    List<List<String>> flagSets = new ArrayList<>(FLAGS);
    flagSets.add(List.of("--keep-within", "75h", "--keep-monthly", "2"));
    flagSets.add(List.of("--keep-within", "2000h"));
    // restic measures keep-within from the newest snapshot not after its own now
    Instant now = Instant.now();
    for (List<String> flags : flagSets) {
      List<String> cmd = new ArrayList<>(List.of(restic.toString(), "forget", "--dry-run", "--json"));
      cmd.addAll(flags);
      JsonNode groups = Json.mapper().readTree(run(env, cmd.toArray(String[]::new)));
      Map<String, String> expected = new TreeMap<>();
      for (JsonNode g : groups) {
        for (JsonNode s : g.get("remove")) {
          expected.put(s.get("short_id").asText(), "delete");
        }
        for (JsonNode r : g.get("reasons")) {
          String id = shortIdOf(backups, Instant.parse(r.get("snapshot").get("time").asText()));
          TreeSet<String> rules = new TreeSet<>();
          for (JsonNode m : r.get("matches")) {
            rules.add(m.asText().replace(" snapshot", "").replaceAll("^within .*", "within"));
          }
          expected.put(id, "keep " + rules);
        }
      }
      RetentionPlan plan = RetentionPlanner.builder().semantics(Semantics.RESTIC).zone(ZoneId.of(zone))
          .rules(rulesOf(flags)).clock(Clock.fixed(now, ZoneOffset.UTC))
          .build().plan(backups);
      Map<String, String> actual = new TreeMap<>();
      for (BackupDecision d : plan.decisions()) {
        TreeSet<String> rules = new TreeSet<>();
        d.reasons().forEach(r -> rules.add(r.replaceAll("^within .*", "within")));
        actual.put(d.backup().id(), d.decision() == Decision.DELETE ? "delete" : "keep " + rules);
      }
      assertThat(actual).as("restic forget " + flags).isEqualTo(expected);
    }
  }

  private static String shortIdOf(List<BackupRecord> backups, Instant t) {
    return backups.stream().filter(b -> b.time().equals(t)).findFirst().orElseThrow().id();
  }

  @Test
  void decidesAsBorgPruneDoes(@TempDir Path dir) throws Exception {
    Path borg = Requirements.requireCommand("borg", "apt-get install borgbackup");
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("f"), "x");
    String repo = dir.resolve("repo").toString();
    Map<String, String> env = Map.of("BORG_PASSPHRASE", "", "BORG_BASE_DIR", dir.resolve("home").toString(),
        "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", "yes", "TZ", "UTC");
    run(env, borg.toString(), "init", "-e", "none", repo);
    List<BackupRecord> backups = new ArrayList<>();
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    for (int i = 0; i < TIMES.size(); i++) {
      String name = "a" + i;
      // borg reads --timestamp as UTC
      run(env, borg.toString(), "create", "--timestamp", f.format(TIMES.get(i)), repo + "::" + name,
          data.toString());
      backups.add(BackupRecord.of(name, TIMES.get(i)));
    }
    List<List<String>> flagSets = new ArrayList<>(FLAGS);
    // borg measures keep-within from now: a window far from every archive time, so the second that
    // passes between borg's now and ours cannot matter.
    Instant now = Instant.now();
    long hours = Duration.between(Instant.parse("2026-06-15T10:40:00Z"), now).toHours();
    flagSets.add(List.of("--keep-within", hours + "H", "--keep-daily", "3", "--keep-monthly", "3"));
    Pattern line = Pattern.compile("^(?:Keeping archive \\(rule: (.+?)\\)|Would prune):\\s+(\\S+)");
    for (String zone : List.of("Europe/London", "America/New_York")) {
      Map<String, String> zenv = new java.util.HashMap<>(env);
      zenv.put("TZ", zone);
      for (List<String> flags : flagSets) {
        List<String> cmd = new ArrayList<>(List.of(borg.toString(), "prune", "--dry-run", "--list"));
        cmd.addAll(flags);
        cmd.add(repo);
        String out = run(zenv, cmd.toArray(String[]::new));
        Map<String, String> expected = new TreeMap<>();
        for (String l : out.split("\n")) {
          Matcher m = line.matcher(l);
          if (m.find()) {
            expected.put(m.group(2), m.group(1) == null ? "delete"
                : "keep " + m.group(1).replace("secondly", "last"));
          }
        }
        List<String> ours = new ArrayList<>(flags);
        if (ours.get(0).equals("--keep-within")) {
          ours.set(1, hours + "h");
        }
        RetentionPlan plan = RetentionPlanner.builder().semantics(Semantics.BORG).zone(ZoneId.of(zone))
            .rules(rulesOf(ours)).clock(Clock.fixed(now, ZoneOffset.UTC)).build().plan(backups);
        Map<String, String> actual = new TreeMap<>();
        for (BackupDecision d : plan.decisions()) {
          actual.put(d.backup().id(), d.decision() == Decision.DELETE ? "delete"
              : "keep " + String.join(", ", d.reasons()));
        }
        assertThat(actual).as("TZ=" + zone + " borg prune " + flags + "\n" + out).isEqualTo(expected);
      }
    }
  }

  static String run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + Arrays.toString(cmd));
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + text).isZero();
    return text;
  }
}
