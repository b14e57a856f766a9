package dev.pledge.security.breach.internal;

import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.StepKind;
import dev.pledge.security.internal.LockedJsonFile;
import dev.pledge.security.internal.LockedJsonFile.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link BreachJournal#folder} and {@link BreachJournal#inMemory}: one JSON document
 * ({@code DIR/breach.json}), each call one locked read or read-change-write, written atomically and
 * forced to disk before the call returns, so a step recorded as done stays done after a crash.
 * Thread-safe.
 */
public final class FileBreachJournal implements BreachJournal {
  private final LockedJsonFile<State> doc;

  private FileBreachJournal(LockedJsonFile<State> doc) {
    this.doc = doc;
  }

  /** The journal in {@code dir}. */
  public static FileBreachJournal open(Path dir) {
    return new FileBreachJournal(LockedJsonFile.at(dir.resolve("breach.json"), State.class, State::new));
  }

  /** A journal in memory. */
  public static FileBreachJournal inMemory() {
    return new FileBreachJournal(LockedJsonFile.inMemory(State.class, State::new));
  }

  @Override
  public Entry begin(BreachIncident incident, Instant at) {
    return doc.update(s -> {
      for (Entry e : s.entries) {
        if (e.incident().id().equals(incident.id())) {
          return Outcome.unchanged(e);
        }
      }
      Entry e = new Entry(incident, at, List.of(), null, false, null);
      s.entries.add(e);
      return Outcome.changed(e);
    });
  }

  @Override
  public Optional<Entry> entry(String id) {
    return doc.read(s -> s.entries.stream().filter(e -> e.incident().id().equals(id)).findFirst());
  }

  @Override
  public List<Entry> entries() {
    return doc.read(s -> List.copyOf(s.entries));
  }

  @Override
  public void stepStarted(String id, StepKind step, Instant at) {
    put(id, new BreachReport.StepResult(step, false, BreachReport.StepResult.Status.STARTED, at, null, ""), true);
  }

  @Override
  public void stepFinished(String id, BreachReport.StepResult result) {
    put(id, result, false);
  }

  private void put(String id, BreachReport.StepResult r, boolean keepRequired) {
    doc.update(s -> {
      for (int i = 0; i < s.entries.size(); i++) {
        Entry e = s.entries.get(i);
        if (e.incident().id().equals(id)) {
          List<BreachReport.StepResult> steps = new ArrayList<>(e.steps());
          int at = -1;
          for (int j = 0; j < steps.size(); j++) {
            if (steps.get(j).step() == r.step()) {
              at = j;
            }
          }
          if (at < 0) {
            steps.add(r);
          } else {
            steps.set(at, r);
          }
          s.entries.set(i, new Entry(e.incident(), e.startedAt(), steps, e.finishedAt(), e.complete(),
              e.customersNotifiedAt()));
          return Outcome.changed(null);
        }
      }
      throw new IllegalStateException("no response '" + id + "' in the journal");
    });
  }

  @Override
  public void finish(String id, Instant at, boolean complete, Instant customersNotifiedAt) {
    doc.update(s -> {
      for (int i = 0; i < s.entries.size(); i++) {
        Entry e = s.entries.get(i);
        if (e.incident().id().equals(id)) {
          s.entries.set(i, new Entry(e.incident(), e.startedAt(), e.steps(), at, complete, customersNotifiedAt));
          return Outcome.changed(null);
        }
      }
      throw new IllegalStateException("no response '" + id + "' in the journal");
    });
  }

  /** The document: public fields, so Jackson reads and writes it as it is. */
  public static final class State {
    /** Every response and drill, oldest first. */
    public List<Entry> entries = new ArrayList<>();
  }
}
