package dev.pledge.sla.oncall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.sla.SlaPolicies;
import dev.pledge.sla.clock.BusinessCalendar;
import dev.pledge.sla.clock.SlaClock;
import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriageTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Instant T0 = Instant.parse("2026-11-04T10:00:00Z");
  private final SlaPolicy policy = SlaPolicies.bundled();
  private final Classifier classifier = Classifier.from(policy);
  private final List<Engineer> team = List.of(new Engineer("alice", "Alice", true), new Engineer("bob", "Bob", true),
      new Engineer("dev", "Dev", false));
  private final BusinessCalendar office = BusinessCalendar.businessHours(LONDON,
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 30), List.of());
  private final WeeklyRotation ops = new WeeklyRotation("ops", LONDON, DayOfWeek.MONDAY, LocalTime.of(9, 0),
      LocalDate.of(2026, 11, 2), List.of("alice", "bob"));

  private Classification silver() {
    Classification c = classifier.classify(Report.of("The export has corrupted rows since this morning"));
    assertThat(c.tier().rank()).isEqualTo(2);
    return c;
  }

  @Test
  void aClassifiedReportGoesToTheOperationsEngineerOnCall() {
    Triage t = Triage.start("R-17", silver(), OnCallSchedule.of(team, office, List.of(ops), List.of()), "support", T0);
    assertThat(t.assignee()).contains(TriageEvent.Assignee.engineer("alice"));
    assertThat(t.rank()).isEqualTo(2);
    assertThat(t.history()).hasSize(2).first().isInstanceOfSatisfying(TriageEvent.Classified.class,
        c -> assertThat(c.reasons()).containsExactly("data malformed, corrupted or missing"));
  }

  @Test
  void withNoOperationsEngineerOnCallTheReportGoesToTheQueue() {
    Override devCovers = new Override(T0.minusSeconds(3600), T0.plusSeconds(3600), "dev");
    Triage t = Triage.start("R-18", silver(), OnCallSchedule.of(team, office, List.of(ops), List.of(devCovers)),
        "support", T0);
    assertThat(t.assignee()).contains(TriageEvent.Assignee.queue("support"));
    assertThat(((TriageEvent.Assigned) t.history().get(1)).note()).isEqualTo("nobody from operations on call");
  }

  @Test
  void reassignmentAndReclassificationKeepTheHistoryAndDriveTheSlaClock() {
    Triage t = Triage.start("R-19", silver(), OnCallSchedule.of(team, office, List.of(ops), List.of()), "support", T0)
        .reassign(T0.plus(Duration.ofMinutes(10)), TriageEvent.Assignee.engineer("bob"), "alice", "bob knows the exporter")
        .reclassify(T0.plus(Duration.ofMinutes(30)), 1, "bob", "every customer's export is affected");
    assertThat(t.rank()).isEqualTo(1);
    assertThat(t.assignee()).contains(TriageEvent.Assignee.engineer("bob"));
    assertThat(t.history()).extracting(e -> e.getClass().getSimpleName() + " by " + e.by()).containsExactly(
        "Classified by pledge", "Assigned by pledge", "Assigned by alice", "Reclassified by bob");
    assertThat(Triage.replay(t.history()).toString()).isEqualTo(t.toString())
        .isEqualTo("Triage[R-19, tier 1, engineer bob, 4 events]");
    // the clock restarts Gold's 120 minutes from the opening (retroactive start)
    assertThat(t.clockEvents()).containsExactly(new SlaEvent.Opened(T0, 2),
        new SlaEvent.Reclassified(T0.plus(Duration.ofMinutes(30)), 1));
    SlaClock clock = SlaClock.replay(policy.targets(null), t.clockEvents());
    assertThat(clock.status(T0.plus(Duration.ofMinutes(31))).deadline()).contains(T0.plus(Duration.ofMinutes(120)));
  }

  @Test
  void inconsistentHistoriesAreRejectedNamingTheEvent() {
    Triage t = Triage.start("R-20", silver(), OnCallSchedule.of(team, office, List.of(ops), List.of()), "support", T0);
    assertThatThrownBy(() -> t.reassign(T0.plusSeconds(60), TriageEvent.Assignee.engineer("alice"), "alice", ""))
        .hasMessage("event 2 (assigned at 2026-11-04T10:01:00Z): the report is already assigned to engineer alice");
    assertThatThrownBy(() -> t.reclassify(T0.plusSeconds(60), 2, "alice", "same"))
        .hasMessage("event 2 (reclassified at 2026-11-04T10:01:00Z): the report is already in tier 2");
    assertThatThrownBy(() -> t.reclassify(T0.minusSeconds(60), 1, "alice", "earlier"))
        .hasMessage("event 2 (reclassified at 2026-11-04T09:59:00Z) is earlier than event 1: events must be in time order");
    assertThatThrownBy(() -> t.reclassify(T0, 1, "alice", " "))
        .hasMessage("a reclassification needs a reason for the history");
    assertThatThrownBy(() -> Triage.replay(List.of(new TriageEvent.Assigned(T0, TriageEvent.Assignee.queue("q"), "x", ""))))
        .hasMessage("a triage starts with the classified event");
  }
}
