package dev.pledge.security.breach;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The breach journal: a response resumes after a crash doing each step once; drills survive restarts. */
class BreachJournalTest {
  @TempDir Path dir;

  @Test
  void aResponseKilledAfterTwoOfFiveStepsResumesAndDoesEveryStepExactlyOnce() throws Exception {
    Path journal = dir.resolve("journal");
    Path effects = dir.resolve("effects");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashingResponse.class.getName(), journal.toString(),
        effects.toString(), "BR-9", "halt-at", "FORCE_PASSWORD_RESET").redirectErrorStream(true).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(child.getInputStream().readAllBytes());
    assertThat(child.exitValue()).as(output).isEqualTo(137);

    BreachRunbook restarted = CrashingResponse.runbook(journal, effects, null);
    assertThat(restarted.open()).singleElement().satisfies(e -> assertThat(e.steps())
        .extracting(BreachReport.StepResult::status).containsExactly(BreachReport.StepResult.Status.DONE,
            BreachReport.StepResult.Status.DONE, BreachReport.StepResult.Status.STARTED));

    BreachReport report = restarted.resume("BR-9");

    assertThat(report.steps()).extracting(BreachReport.StepResult::status)
        .containsOnly(BreachReport.StepResult.Status.DONE).hasSize(5);
    for (StepKind k : StepKind.values()) {
      assertThat(Files.readAllLines(effects.resolve(k.name()))).as(k.name()).containsExactly("BR-9");
    }
    assertThat(restarted.open()).isEmpty();
    restarted.respond(new BreachIncident("BR-9", Instant.now(), "again", false));
    assertThat(Files.readAllLines(effects.resolve("NOTIFY_CUSTOMERS"))).as("a complete response is not redone")
        .hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"folder", "h2", "postgres", "mariadb"})
  void drillsSurviveARestartSoTheNextDrillDueIsKnown(String kind) throws Exception {
    String prefix = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    DataSource ds = switch (kind) {
      case "h2" -> DriverManagerDataSource.of("jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1");
      case "postgres" -> {
        Requirements.requirePostgres();
        yield DriverManagerDataSource.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      }
      case "mariadb" -> {
        Requirements.requireMariaDb();
        yield DriverManagerDataSource.of("jdbc:mariadb://127.0.0.1:3306/test?user=root");
      }
      default -> null;
    };
    try {
      MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
      BreachJournal journal = ds == null ? BreachJournal.folder(dir) : BreachJournal.jdbc(ds, prefix);
      BreachRunbook first = runbook(journal, clock);
      assertThat(first.drillOverdue()).isTrue();
      BreachReport drill = first.drill("DRILL-2026-11");
      assertThat(drill.complete()).isTrue();

      clock.advance(Duration.ofDays(30));
      BreachJournal reopened = ds == null ? BreachJournal.folder(dir) : BreachJournal.jdbc(ds, prefix);
      BreachRunbook afterRestart = runbook(reopened, clock);
      assertThat(afterRestart.lastDrill()).contains(Instant.parse("2026-11-02T09:00:00Z"));
      assertThat(afterRestart.nextDrillDue()).isEqualTo(Instant.parse("2027-02-02T09:00:00Z"));
      assertThat(afterRestart.drillOverdue()).isFalse();
      assertThat(afterRestart.regulatorDeadline(new BreachIncident("BR-1", Instant.parse("2026-11-02T08:00:00Z"), "",
          false))).isEqualTo(Instant.parse("2026-11-05T08:00:00Z"));
      assertThat(afterRestart.drills()).singleElement().satisfies(r -> {
        assertThat(r.steps()).hasSize(5);
        assertThat(r.notifiedInTime()).isTrue();
      });
    } finally {
      if (ds != null) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + prefix + "_responses");
          s.execute("DROP TABLE IF EXISTS " + prefix + "_steps");
        }
      }
    }
  }

  private static BreachRunbook runbook(BreachJournal journal, MutableClock clock) {
    BreachRunbook.Builder b = BreachRunbook.builder(BreachPolicy.defaults()).journal(journal).clock(clock)
        .audit(AuditTrail.inMemory());
    for (StepKind k : StepKind.values()) {
      b.action(k, i -> "rehearsed " + k);
    }
    return b.build();
  }

  @Test
  void theStepsOfAnOpenResponseAreReadBackInOrder() {
    BreachJournal j = BreachJournal.folder(dir);
    j.begin(new BreachIncident("BR-1", Instant.parse("2026-11-02T08:00:00Z"), "x", false),
        Instant.parse("2026-11-02T08:01:00Z"));
    j.stepStarted("BR-1", StepKind.NOTIFY_CUSTOMERS, Instant.parse("2026-11-02T08:02:00Z"));
    assertThat(BreachJournal.folder(dir).entries()).singleElement().satisfies(e -> {
      assertThat(e.finished()).isFalse();
      assertThat(e.steps()).extracting(BreachReport.StepResult::step).isEqualTo(List.of(StepKind.NOTIFY_CUSTOMERS));
    });
  }
}
