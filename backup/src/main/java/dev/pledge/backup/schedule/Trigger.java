package dev.pledge.backup.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a schedule's slots fall. A slot is an instant at which one run is due; every node computes
 * the same slots, which is what lets a cluster lock give each slot to exactly one node.
 */
public sealed interface Trigger permits Trigger.Every, Trigger.DailyAt, Trigger.Cron {

  /** The latest slot at or before {@code t}. */
  Instant latestSlotAtOrBefore(Instant t);

  /** The first slot strictly after {@code t}. */
  Instant nextSlotAfter(Instant t);

  /** Every {@code period}, on multiples of the period since the epoch (P7: rolling, every 5 minutes). */
  static Trigger every(Duration period) {
    return new Every(period);
  }

  /** Every day at {@code at} in {@code zone}, DST-correct (P6: daily). */
  static Trigger dailyAt(LocalTime at, ZoneId zone) {
    return new DailyAt(at, zone);
  }

  /** A five-field Unix cron expression in {@code zone}, parsed by cron-utils. */
  static Trigger cron(String expression, ZoneId zone) {
    return new Cron(expression, zone);
  }

  /**
   * Slots every {@code period}, aligned to the epoch so that all nodes agree.
   *
   * @param period the interval; at least one second
   */
  record Every(Duration period) implements Trigger {

    /** Validates the period. */
    public Every {
      Objects.requireNonNull(period, "period");
      if (period.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("every must be at least 1s, got " + period);
      }
    }

    @Override
    public Instant latestSlotAtOrBefore(Instant t) {
      long p = period.toMillis();
      long ms = t.toEpochMilli();
      return Instant.ofEpochMilli(Math.floorDiv(ms, p) * p);
    }

    @Override
    public Instant nextSlotAfter(Instant t) {
      return latestSlotAtOrBefore(t).plus(period);
    }
  }

  /**
   * Once a day at a local time. On the day the clocks go forward past {@code at}, the slot moves to
   * the first instant after the gap; on the day they go back, the slot is the first occurrence only,
   * so the run happens once.
   *
   * @param at the local time
   * @param zone the zone it is read in
   */
  record DailyAt(LocalTime at, ZoneId zone) implements Trigger {

    /** Validates the trigger. */
    public DailyAt {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Instant latestSlotAtOrBefore(Instant t) {
      LocalDate day = t.atZone(zone).toLocalDate();
      Instant s = slotOn(day);
      return s.isAfter(t) ? slotOn(day.minusDays(1)) : s;
    }

    @Override
    public Instant nextSlotAfter(Instant t) {
      LocalDate day = t.atZone(zone).toLocalDate();
      Instant s = slotOn(day);
      return s.isAfter(t) ? s : slotOn(day.plusDays(1));
    }

    private Instant slotOn(LocalDate day) {
      // ZonedDateTime.of shifts a time in a gap forward and picks the earlier offset in an overlap.
      return ZonedDateTime.of(day, at, zone).toInstant();
    }
  }

  /**
   * A Unix cron expression (minute hour day-of-month month day-of-week) in a zone.
   *
   * @param expression the expression, such as {@code 30 2 * * *}
   * @param zone the zone it is read in
   */
  record Cron(String expression, ZoneId zone) implements Trigger {
    private static final CronParser PARSER =
        new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** Validates the expression. */
    public Cron {
      Objects.requireNonNull(expression, "cron");
      Objects.requireNonNull(zone, "zone");
      try {
        PARSER.parse(expression).validate();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cron '" + expression + "' is not a five-field Unix cron expression: "
            + e.getMessage());
      }
    }

    private ExecutionTime execution() {
      return ExecutionTime.forCron(PARSER.parse(expression));
    }

    @Override
    public Instant latestSlotAtOrBefore(Instant t) {
      ZonedDateTime z = t.atZone(zone);
      ExecutionTime e = execution();
      if (e.isMatch(z.withNano(0)) && z.getSecond() == 0 && z.getNano() == 0) {
        return t;
      }
      return e.lastExecution(z).map(ZonedDateTime::toInstant)
          .orElseThrow(() -> new IllegalStateException("cron '" + expression + "' has no slot before " + t));
    }

    @Override
    public Instant nextSlotAfter(Instant t) {
      return execution().nextExecution(t.atZone(zone)).map(ZonedDateTime::toInstant)
          .orElseThrow(() -> new IllegalStateException("cron '" + expression + "' has no slot after " + t));
    }
  }
}
