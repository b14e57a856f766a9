package dev.pledge.examples.tour;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.time.MutableClock;
import dev.pledge.examples.report.Charts;
import dev.pledge.examples.report.ComplianceReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every step of the tour shares: the policy, a working folder, a clock the simulation drives,
 * the audit trail and notifier, where the step says what it proved, and the report it feeds.
 */
public final class TourContext {
  private final PolicyDocument policy;
  private final String policyText;
  private final Path dir;
  private final Instant start;
  private final MutableClock clock;
  private final AuditTrail audit;
  private final RecordingNotifier notifier = Notifier.recording();
  private final PrintStream out;
  private final ComplianceReport.Builder report;
  private final List<Charts.UptimeTimeline> uptime = new ArrayList<>();
  private final List<Charts.BackupPoint> backups = new ArrayList<>();
  private final List<Charts.SlaResponse> responses = new ArrayList<>();

  TourContext(PolicyDocument policy, String policyText, Path dir, Instant start, PrintStream out, String organisation) {
    this.policy = policy;
    this.policyText = policyText;
    this.dir = dir;
    this.start = start;
    this.clock = MutableClock.at(start);
    this.audit = AuditTrail.jsonLines(dir.resolve("audit.jsonl"));
    this.out = out;
    this.report = ComplianceReport.builder(organisation, policy.source(), start);
  }

  /** The bundled (or given) policy. */
  public PolicyDocument policy() {
    return policy;
  }

  /** The YAML text {@link #policy()} was loaded from. */
  public String policyText() {
    return policyText;
  }

  /** The working folder, recreated on each run. */
  public Path dir() {
    return dir;
  }

  /** When the tour started: the "now" of every simulation. */
  public Instant start() {
    return start;
  }

  /** The clock the simulations drive; it starts at {@link #start()}. */
  public MutableClock clock() {
    return clock;
  }

  /** The audit trail of the run ({@code audit.jsonl} in the working folder). */
  public AuditTrail audit() {
    return audit;
  }

  /** The alerts the run sent. */
  public RecordingNotifier notifier() {
    return notifier;
  }

  /** The report the steps feed. */
  public ComplianceReport.Builder report() {
    return report;
  }

  /** Prints one line of what a step proved, under its tag. */
  public void say(String tag, String line) {
    out.println("[" + tag + "] " + line);
  }

  /** Adds an uptime timeline to the report's charts. */
  public void chart(Charts.UptimeTimeline t) {
    uptime.add(t);
  }

  /** Adds a backup to the report's backup timeline. */
  public void chart(Charts.BackupPoint p) {
    backups.add(p);
  }

  /** Adds a response to the report's SLA chart. */
  public void chart(Charts.SlaResponse r) {
    responses.add(r);
  }

  /**
   * A duration as people write it: {@code 35 min}, {@code 1 h 20 min}, {@code 48 h}, {@code 7 days};
   * never ISO-8601's {@code PT48H}.
   */
  public static String human(java.time.Duration d) {
    long m = d.toMinutes();
    if (d.toSeconds() < 60) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
    if (m < 60) {
      return m + " min";
    }
    if (m % (24 * 60) == 0 && m >= 72 * 60) {
      return m / (24 * 60) + " days";
    }
    return m / 60 + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
  }

  /** Evidence for the report from key, value pairs, in the order given. */
  static Map<String, String> evidence(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  Charts charts() {
    return new Charts(uptime, backups, responses);
  }
}
