package dev.pledge.examples.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The data behind the report's charts: what a person would rather look at than read.
 *
 * @param uptime one timeline per site and month
 * @param backups every backup of the simulated history with its tier
 * @param responses SLA responses against their targets
 */
public record Charts(List<UptimeTimeline> uptime, List<BackupPoint> backups, List<SlaResponse> responses) {

  /** Copies the lists. */
  public Charts {
    uptime = List.copyOf(uptime);
    backups = List.copyOf(backups);
    responses = List.copyOf(responses);
  }

  /** No charts. */
  public static Charts none() {
    return new Charts(List.of(), List.of(), List.of());
  }

  /**
   * A site's month: when it was up, down, or in announced maintenance.
   *
   * @param site the site
   * @param from the month's first instant
   * @param to the month's end (exclusive)
   * @param segments the periods that were not plain uptime
   * @param uptimePercent the month's figure, such as {@code 99.95}
   * @param targetPercent the target, such as {@code 99.9}
   */
  public record UptimeTimeline(String site, Instant from, Instant to, List<Segment> segments,
      String uptimePercent, String targetPercent) {
    /** Copies the segments. */
    public UptimeTimeline {
      segments = List.copyOf(segments);
    }
  }

  /**
   * A stretch of a timeline that was down or in maintenance.
   *
   * @param start its start
   * @param end its end
   * @param kind {@code down} or {@code maintenance}
   */
  public record Segment(Instant start, Instant end, String kind) {
    /** Validates the segment. */
    public Segment {
      Objects.requireNonNull(kind, "kind");
      if (end.isBefore(start)) {
        throw new IllegalArgumentException("segment ends before it starts: " + start + " .. " + end);
      }
    }
  }

  /**
   * One backup of the history.
   *
   * @param time when it ran
   * @param decision {@code keep}, {@code archive} (Glacier) or {@code delete}
   */
  public record BackupPoint(Instant time, String decision) {}

  /**
   * One report's response against its tier's target.
   *
   * @param label the report's id
   * @param tier the tier's name, such as {@code Gold}
   * @param responseTime how long the response took
   * @param target the tier's target
   */
  public record SlaResponse(String label, String tier, Duration responseTime, Duration target) {
    /** Whether the response met its target. */
    public boolean met() {
      return responseTime.compareTo(target) <= 0;
    }
  }
}
