package dev.pledge.security.breach;

import dev.pledge.core.audit.AuditTrail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * A breach response in a process of its own, for {@link BreachJournalTest}: each step appends one
 * line to {@code EFFECTS/STEP}; with {@code halt-at STEP}, the JVM halts (as a SIGKILL would end it)
 * when that step starts, before it has any effect.
 */
public final class CrashingResponse {
  private CrashingResponse() {}

  /** {@code JOURNAL_DIR EFFECTS_DIR INCIDENT [halt-at STEP]}. */
  public static void main(String[] args) {
    runbook(Path.of(args[0]), Path.of(args[1]), args.length > 4 ? StepKind.valueOf(args[4]) : null)
        .respond(new BreachIncident(args[2], Clock.systemUTC().instant(), "test", false));
  }

  static BreachRunbook runbook(Path journal, Path effects, StepKind haltAt) {
    BreachRunbook.Builder b = BreachRunbook.builder(BreachPolicy.defaults()).journal(BreachJournal.folder(journal))
        .audit(AuditTrail.discarding());
    for (StepKind k : StepKind.values()) {
      b.action(k, i -> {
        if (k == haltAt) {
          Runtime.getRuntime().halt(137);
        }
        effect(effects.resolve(k.name()), i.id());
        return "did " + k;
      });
    }
    return b.build();
  }

  private static void effect(Path file, String line) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
