package dev.pledge.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.Person;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachRunbook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P14-P19 and P32 judged from the access store and breach journal a policy names, with the real
 * broker and runbook writing them, and the same state damaged.
 */
class AccessEvidenceChecksTest {
  private static final Instant START = Instant.parse("2026-03-29T00:30:00Z"); // the night clocks go forward
  private static final Instant END = START.plus(Duration.ofHours(2));

  private static PolicyDocument policy(Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        audit: {store: "file:audit.jsonl"}
        access:
          administrator: mark
          maxGrant: 1h
          store: "file:access"
          roles:
            - {name: engineer, permissions: [deploy]}
            - {name: operations, permissions: [deploy, database.read], production: true}
        breach:
          journal: "file:breach"
        """);
    return PolicyLoader.create().load(file);
  }

  private static CheckContext context(Path dir) throws Exception {
    return new CheckContext(policy(dir), dir, new AssessmentPeriod(START, END), java.time.Clock.fixed(END,
        java.time.ZoneOffset.UTC));
  }

  /** A team's hour: a just-in-time grant that expires, a leaver, a refused contractor; a drill. */
  private static void deployment(Path dir) throws Exception {
    PolicyDocument p = policy(dir);
    MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(5)));
    AuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"));
    try {
      AccessBroker broker = AccessBroker.builder(p.require(AccessPolicy.class)).clock(clock).audit(trail)
          .store(AccessStore.folder(dir.resolve("access"))).build();
      broker.enrol(Person.employee("mark", "Mark"));
      broker.enrol(Person.employee("ana", "Ana"));
      broker.enrol(Person.employee("ben", "Ben"));
      broker.enrol(Person.contractor("carl", "Carl"));
      broker.assign("ben", "engineer", "PROJ-1", clock.instant().plus(Duration.ofDays(3)));
      broker.grantJustInTime("ana", "operations", "shop/production", "INC-9 stuck orders", Duration.ofMinutes(30), "mark");
      clock.advance(Duration.ofMinutes(30));
      broker.expire();
      broker.offboard("ben", "hr");
      BreachRunbook.Builder runbook = BreachRunbook.builder(p.require(BreachPolicy.class)).clock(clock).audit(trail)
          .journal(BreachJournal.folder(dir.resolve("breach")));
      for (BreachPolicy.Step s : p.require(BreachPolicy.class).steps()) {
        runbook.action(s.step(), i -> "rehearsed " + s.step());
      }
      assertThat(runbook.build().drill("DRILL-1").complete()).isTrue();
    } finally {
      if (trail instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private static Verdict verdict(List<Judgement> js, int promise) {
    return js.stream().filter(j -> j.promise() == promise).findFirst().orElseThrow().verdict();
  }

  private static String summary(List<Judgement> js, int promise) {
    return js.stream().filter(j -> j.promise() == promise).findFirst().orElseThrow().summary();
  }

  @Test
  void theBrokersOwnStateKeepsEveryAccessPromiseAndTheDrillKeepsP32(@TempDir Path dir) throws Exception {
    deployment(dir);
    List<Judgement> access = new AccessStoreCheck().judge(context(dir));
    for (int p = 14; p <= 19; p++) {
      assertThat(verdict(access, p)).as("P" + p + ": " + summary(access, p)).isEqualTo(Verdict.KEPT);
    }
    assertThat(summary(access, 17)).contains("ended within 15 min");
    List<Judgement> breach = new BreachJournalCheck().judge(context(dir));
    assertThat(verdict(breach, 32)).as(summary(breach, 32)).isEqualTo(Verdict.KEPT);
    assertThat(summary(breach, 32)).contains("DRILL-1");
  }

  @Test
  void aGrantLeftOpenAndALeaversGrantRevivedAreNamed(@TempDir Path dir) throws Exception {
    deployment(dir);
    Path file = dir.resolve("access/access.json");
    String text = Files.readString(file);
    String damaged = text.replace("\"EXPIRED\"", "\"ACTIVE\"").replace("\"OFFBOARDED\"", "\"ACTIVE\"");
    assertThat(damaged).isNotEqualTo(text);
    Files.writeString(file, damaged);

    List<Judgement> access = new AccessStoreCheck().judge(context(dir));

    assertThat(verdict(access, 17)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(summary(access, 17)).isEqualTo("1 grants outlived their assignment");
    assertThat(verdict(access, 18)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(summary(access, 18)).isEqualTo("1 grants outlived their holder's departure");
  }

  @Test
  void withoutTheJournalOrWithAStaleDrillP32IsNotKept(@TempDir Path dir) throws Exception {
    deployment(dir);
    CheckContext later = new CheckContext(policy(dir), dir, new AssessmentPeriod(END.plus(Duration.ofDays(100)),
        END.plus(Duration.ofDays(101))), java.time.Clock.fixed(END.plus(Duration.ofDays(101)), java.time.ZoneOffset.UTC));
    List<Judgement> stale = new BreachJournalCheck().judge(later);
    assertThat(verdict(stale, 32)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(summary(stale, 32)).startsWith("no complete drill in the last 3 months: the last one finished ");

    Files.delete(dir.resolve("breach/breach.json"));
    List<Judgement> gone = new BreachJournalCheck().judge(context(dir));
    assertThat(verdict(gone, 32)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(summary(gone, 32)).isEqualTo("the breach journal file:breach is gone: no drill can be shown");
  }

  @Test
  void aPolicyNamingNoStoreHasNoEvidenceRatherThanAVerdict(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        access:
          administrator: mark
          roles: [{name: engineer, permissions: [deploy]}]
        breach: {}
        """);
    CheckContext ctx = new CheckContext(PolicyLoader.create().load(dir.resolve("policy.yaml")), dir,
        new AssessmentPeriod(START, END), java.time.Clock.fixed(END, java.time.ZoneOffset.UTC));
    assertThat(new AccessStoreCheck().judge(ctx)).extracting(Judgement::verdict).containsOnly(Verdict.NO_EVIDENCE);
    assertThat(new BreachJournalCheck().judge(ctx)).extracting(Judgement::verdict).containsOnly(Verdict.NO_EVIDENCE);
  }
}
