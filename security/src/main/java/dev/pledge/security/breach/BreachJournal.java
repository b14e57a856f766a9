package dev.pledge.security.breach;

import dev.pledge.security.breach.internal.FileBreachJournal;
import dev.pledge.security.breach.internal.JdbcBreachJournal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where the {@link BreachRunbook} writes down each response and drill as it goes (P28-P32), so that
 * a response interrupted by a crash resumes where it stood, doing each finished step never again,
 * and so that the record of drills ("rehearsed every quarter") survives restarts.
 *
 * <p>Each method is one atomic step. Implementations must be safe for concurrent use by threads
 * and, for shared journals, by processes. The embedded default is {@link #folder(Path)}.
 */
public interface BreachJournal {

  /**
   * Opens the response to {@code incident}, or finds it when it was opened before (a resumed
   * response keeps its first detection time and kind).
   */
  Entry begin(BreachIncident incident, Instant at);

  /** The response or drill with {@code id}. */
  Optional<Entry> entry(String id);

  /** Every response and drill, oldest first. */
  List<Entry> entries();

  /** Records that {@code step} of {@code id} starts (an attempt; a crash leaves it started). */
  void stepStarted(String id, StepKind step, Instant at);

  /** Records how {@code result}'s step of {@code id} ended, replacing an earlier attempt. */
  void stepFinished(String id, BreachReport.StepResult result);

  /** Records that the response or drill {@code id} ran every step, and whether it was complete. */
  void finish(String id, Instant at, boolean complete, Instant customersNotifiedAt);

  /** A journal in {@code dir}/breach.json, created when missing, shared by processes through file locks. */
  static BreachJournal folder(Path dir) {
    return FileBreachJournal.open(dir);
  }

  /** A journal in the tables {@code pledge_breach_*} of {@code dataSource}, created when missing. */
  static BreachJournal jdbc(DataSource dataSource) {
    return JdbcBreachJournal.create(dataSource, "pledge_breach");
  }

  /** A journal in the tables {@code <prefix>_responses} and {@code <prefix>_steps}. */
  static BreachJournal jdbc(DataSource dataSource, String tablePrefix) {
    return JdbcBreachJournal.create(dataSource, tablePrefix);
  }

  /** A journal in memory, for tests and short-lived tools. */
  static BreachJournal inMemory() {
    return FileBreachJournal.inMemory();
  }

  /**
   * One response or drill as journaled. Immutable.
   *
   * @param incident the incident (or drill)
   * @param startedAt when the response was opened
   * @param steps the steps attempted so far, in the order they were first started; a step still
   *     {@link BreachReport.StepResult.Status#STARTED} never finished (the process died in it)
   * @param finishedAt when every step had run, or {@code null} while open
   * @param complete whether, when finished, every required step was done in time
   * @param customersNotifiedAt when customers were notified, or {@code null}
   */
  record Entry(BreachIncident incident, Instant startedAt, List<BreachReport.StepResult> steps, Instant finishedAt,
      boolean complete, Instant customersNotifiedAt) {

    /** Copies the steps. */
    public Entry {
      steps = List.copyOf(steps);
    }

    /** The result recorded for {@code step}, if it was attempted. */
    public Optional<BreachReport.StepResult> step(StepKind step) {
      return steps.stream().filter(s -> s.step() == step).findFirst();
    }

    /** Whether every step has run. */
    public boolean finished() {
      return finishedAt != null;
    }
  }
}
