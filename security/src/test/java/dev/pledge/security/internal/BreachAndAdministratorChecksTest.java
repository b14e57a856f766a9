package dev.pledge.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.AccessTarget;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.TargetLogin;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.StepKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * P21 and P28-P31 judged from what the deployment recorded: the access store and the latest
 * measurement of the targets in the audit trail; the breach journal's steps of responses and drills.
 * The real broker and runbook write the state, in a folder, in H2, PostgreSQL and MariaDB; then the
 * state is damaged behind their back.
 */
class BreachAndAdministratorChecksTest {
  private static final Instant START = Instant.parse("2026-10-25T00:30:00Z"); // the night clocks go back
  private static final Instant END = START.plus(Duration.ofHours(2));

  /** A system on which a grant is a login, held in memory: what a host plugs in through the SPI. */
  static final class Logins implements AccessTarget {
    final Map<String, Instant> logins = new ConcurrentHashMap<>();
    final List<String> administrators = new ArrayList<>(List.of("mark"));

    @Override
    public String name() {
      return "shop-db";
    }

    @Override
    public String loginPrefix() {
      return "pledge_";
    }

    @Override
    public TargetLogin createLogin(String login, String databaseRole, Instant until) {
      logins.put(login, until);
      return new TargetLogin(name(), login, Secret.ofUtf8("not-a-real-password"), until);
    }

    @Override
    public boolean dropLogin(String login) {
      return logins.remove(login) != null;
    }

    @Override
    public List<String> logins() {
      return List.copyOf(logins.keySet());
    }

    @Override
    public List<String> administrators() {
      return List.copyOf(administrators);
    }
  }

  private static PolicyDocument policy(Path dir, String store, String journal) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        audit: {store: "file:audit.jsonl"}
        access:
          administrator: mark
          maxGrant: 1h
          store: "%s"
          roles:
            - {name: engineer, permissions: [deploy]}
            - {name: operations, permissions: [deploy, database.read], production: true}
        breach:
          journal: "%s"
        """.formatted(store, journal));
    return PolicyLoader.create().load(file);
  }

  private static CheckContext context(PolicyDocument policy, Path dir) {
    return new CheckContext(policy, dir, new AssessmentPeriod(START, END), Clock.fixed(END, ZoneOffset.UTC));
  }

  /**
   * A team's hour on {@code store} and {@code journal}: a just-in-time grant with a login on the
   * target that expires and is swept, the targets measured, then the runbook {@code breach} uses.
   */
  private static void deployment(Path dir, PolicyDocument p, AccessStore store, BreachJournal journal, Logins target,
      Consumer<BreachRunbook> breach) throws Exception {
    MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(5)));
    AuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"));
    try {
      AccessBroker broker = AccessBroker.builder(p.require(AccessPolicy.class)).clock(clock).audit(trail).store(store)
          .target(target).build();
      broker.enrol(Person.employee("mark", "Mark"));
      broker.enrol(Person.employee("ana", "Ana"));
      broker.grant("ana", "operations", "shop/production", "INC-9 stuck orders", Duration.ofMinutes(30), "mark",
          List.of(target.name()));
      clock.advance(Duration.ofMinutes(30));
      broker.expire();
      assertThat(broker.drift().clean()).isTrue();
      BreachPolicy bp = p.require(BreachPolicy.class);
      BreachRunbook.Builder runbook = BreachRunbook.builder(bp).clock(clock).audit(trail).journal(journal);
      runbook.action(StepKind.NOTIFY_CUSTOMERS, i -> {
        clock.advance(Duration.ofMinutes(20));
        return "notified 5 customers";
      });
      runbook.action(StepKind.REVOKE_EXTERNAL_KEYS, i -> "revoked 3 API keys and issued 3 new ones for 2 owners");
      runbook.action(StepKind.FORCE_PASSWORD_RESET, i -> "every password must be changed at the next login");
      runbook.action(StepKind.RESET_CLOUD_CREDENTIALS, i -> "rotated 2 IAM access keys");
      runbook.action(StepKind.ROTATE_DATASTORE_CREDENTIALS, i -> "rotated the PostgreSQL and Redis passwords");
      breach.accept(runbook.build());
    } finally {
      if (trail instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private static void drill(BreachRunbook r) {
    assertThat(r.drill("DRILL-1").complete()).isTrue();
  }

  private static Judgement judgement(List<Judgement> js, int promise) {
    return js.stream().filter(j -> j.promise() == promise).findFirst().orElseThrow();
  }

  private static List<Judgement> judgeAll(CheckContext ctx) throws Exception {
    List<Judgement> all = new ArrayList<>(new AdministratorCheck().judge(ctx));
    all.addAll(new BreachJournalCheck().judge(ctx));
    return all;
  }

  private static void assertKept(List<Judgement> js, int... promises) {
    for (int p : promises) {
      Judgement j = judgement(js, p);
      assertThat(j.verdict()).as("P" + p + ": " + j.summary() + " " + j.evidence()).isEqualTo(Verdict.KEPT);
    }
  }

  @Test
  void aMeasuredTargetAndAFullDrillKeepP21AndP28ToP32WithTheirFigures(@TempDir Path dir) throws Exception {
    PolicyDocument p = policy(dir, "file:access", "file:breach");
    deployment(dir, p, AccessStore.folder(dir.resolve("access")), BreachJournal.folder(dir.resolve("breach")), new Logins(),
        BreachAndAdministratorChecksTest::drill);

    List<Judgement> js = judgeAll(context(p, dir));

    assertKept(js, 21, 28, 29, 30, 31, 32);
    assertThat(judgement(js, 21).summary()).contains("mark").contains("1 targets measured");
    assertThat(judgement(js, 21).evidence().toString()).contains("administrators on shop-db").contains("mark");
    assertThat(judgement(js, 28).summary()).startsWith("NOTIFY_CUSTOMERS done in drill DRILL-1 of ")
        .endsWith("(no breach was known in the period), within 1d of the drill's start");
    assertThat(judgement(js, 28).evidence().toString()).contains("20m after the drill began: notified 5 customers");
    assertThat(judgement(js, 29).evidence().toString()).contains("revoked 3 API keys and issued 3 new ones");
    assertThat(judgement(js, 31).summary()).contains("RESET_CLOUD_CREDENTIALS and ROTATE_DATASTORE_CREDENTIALS");
  }

  @Test
  void aRealBreachIsJudgedInsteadOfTheDrillAndAFailedStepIsNamed(@TempDir Path dir) throws Exception {
    PolicyDocument p = policy(dir, "file:access", "file:breach");
    deployment(dir, p, AccessStore.folder(dir.resolve("access")), BreachJournal.folder(dir.resolve("breach")), new Logins(),
        BreachAndAdministratorChecksTest::drill);
    // a real breach later in the hour, key revocation failing: a second runbook on the same journal
    MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(80)));
    BreachRunbook failing = BreachRunbook.builder(p.require(BreachPolicy.class)).clock(clock)
        .audit(AuditTrail.inMemory()).journal(BreachJournal.folder(dir.resolve("breach")))
        .action(StepKind.NOTIFY_CUSTOMERS, i -> "notified 5 customers")
        .action(StepKind.REVOKE_EXTERNAL_KEYS, i -> {
          throw new IllegalStateException("the key store refused: 503");
        })
        .action(StepKind.FORCE_PASSWORD_RESET, i -> "every password must be changed")
        .action(StepKind.RESET_CLOUD_CREDENTIALS, i -> "rotated 2 IAM access keys")
        .action(StepKind.ROTATE_DATASTORE_CREDENTIALS, i -> "rotated 2 passwords").build();
    failing.respond(new BreachIncident("BR-7", clock.instant(), "leaked key", false));

    List<Judgement> js = new BreachJournalCheck().judge(context(p, dir));

    assertThat(judgement(js, 29).verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(judgement(js, 29).summary())
        .isEqualTo("not done: BR-7: REVOKE_EXTERNAL_KEYS failed (the key store refused: 503)");
    assertKept(js, 28, 30, 31, 32);
    assertThat(judgement(js, 28).summary()).contains("the response to BR-7");
    assertThat(judgement(js, 28).evidence().toString()).contains("BR-7 regulator to be notified by")
        .contains(START.plus(Duration.ofMinutes(80)).plus(Duration.ofHours(72)).toString());
  }

  @Test
  void customersNotifiedLaterThanThePolicySaysBreakP28(@TempDir Path dir) throws Exception {
    PolicyDocument p = policy(dir, "file:access", "file:breach");
    MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(10)));
    BreachRunbook.Builder b = BreachRunbook.builder(p.require(BreachPolicy.class)).clock(clock)
        .audit(AuditTrail.inMemory()).journal(BreachJournal.folder(dir.resolve("breach")));
    for (StepKind k : StepKind.values()) {
      b.action(k, i -> "done " + k);
    }
    b.action(StepKind.NOTIFY_CUSTOMERS, i -> {
      clock.advance(Duration.ofHours(25));
      return "notified 5 customers";
    });
    b.build().respond(new BreachIncident("BR-8", START.plus(Duration.ofMinutes(10)), "stolen laptop", false));
    CheckContext ctx = new CheckContext(p, dir, new AssessmentPeriod(START, START.plus(Duration.ofDays(2))),
        Clock.fixed(START.plus(Duration.ofDays(2)), ZoneOffset.UTC));

    Judgement p28 = judgement(new BreachJournalCheck().judge(ctx), 28);

    assertThat(p28.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(p28.summary()).isEqualTo("not done: BR-8: customers notified 1d1h after the breach was known, later than 1d");
  }

  @Test
  void aStepDeletedFromTheJournalIsNamedUnderItsPromise(@TempDir Path dir) throws Exception {
    PolicyDocument p = policy(dir, "file:access", "file:breach");
    deployment(dir, p, AccessStore.folder(dir.resolve("access")), BreachJournal.folder(dir.resolve("breach")), new Logins(),
        BreachAndAdministratorChecksTest::drill);
    Path file = dir.resolve("breach/breach.json");
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        dev.pledge.core.internal.Json.mapper().readTree(file.toFile());
    int removed = 0;
    for (com.fasterxml.jackson.databind.JsonNode steps : root.findValues("steps")) {
      var it = steps.elements();
      while (it.hasNext()) {
        if (it.next().toString().contains("REVOKE_EXTERNAL_KEYS")) {
          it.remove();
          removed++;
        }
      }
    }
    assertThat(removed).isEqualTo(1);
    dev.pledge.core.internal.Json.mapper().writeValue(file.toFile(), root);

    Judgement p29 = judgement(new BreachJournalCheck().judge(context(p, dir)), 29);

    assertThat(p29.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(p29.summary()).isEqualTo("not done: DRILL-1: REVOKE_EXTERNAL_KEYS is missing from the journal");
  }

  @Test
  void aSecondAdministratorOrALoginNobodyGrantedBreaksP21AndNoMeasurementIsNoEvidence(@TempDir Path dir)
      throws Exception {
    PolicyDocument p = policy(dir, "file:access", "file:breach");
    Logins target = new Logins();
    deployment(dir, p, AccessStore.folder(dir.resolve("access")), BreachJournal.folder(dir.resolve("breach")), target,
        BreachAndAdministratorChecksTest::drill);
    AuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"));
    MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(90)));
    try {
      AccessBroker broker = AccessBroker.builder(p.require(AccessPolicy.class)).clock(clock).audit(trail)
          .store(AccessStore.folder(dir.resolve("access"))).target(target).build();
      target.administrators.add("postgres");
      target.logins.put("pledge_eve_backdoor", END.plus(Duration.ofDays(365)));
      assertThat(broker.drift().clean()).isFalse();
    } finally {
      if (trail instanceof AutoCloseable c) {
        c.close();
      }
    }

    Judgement p21 = judgement(new AdministratorCheck().judge(context(p, dir)), 21);
    assertThat(p21.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(p21.summary()).isEqualTo("more than one login holds complete administrative access: shop-db has 2"
        + " [mark, postgres]");
    assertThat(p21.evidence().toString()).contains("pledge_eve_backdoor");

    CheckContext before = new CheckContext(p, dir, new AssessmentPeriod(START.minus(Duration.ofDays(1)), START),
        Clock.fixed(START, ZoneOffset.UTC));
    Judgement none = judgement(new AdministratorCheck().judge(before), 21);
    assertThat(none.verdict()).isEqualTo(Verdict.NO_EVIDENCE);
    assertThat(none.summary()).startsWith("no measurement of the targets' administrative access in the period");
  }

  @Test
  void theBundledPolicyNamingStoresThatDoNotExistHereHasNoEvidence(@TempDir Path dir) throws Exception {
    PolicyDocument bundled = PolicyLoader.create().load("bundled:policy.yaml", """
        audit: {store: "file:audit.jsonl"}
        access:
          administrator: mark
          store: "file:access"
          roles: [{name: engineer, permissions: [deploy]}]
        breach:
          journal: "file:breach"
        """);
    CheckContext ctx = context(bundled, dir);
    assertThat(judgeAll(ctx)).extracting(Judgement::verdict).containsOnly(Verdict.NO_EVIDENCE);
    assertThat(new AccessStoreCheck().judge(ctx)).extracting(Judgement::verdict).containsOnly(Verdict.NO_EVIDENCE);
    assertThat(judgement(judgeAll(ctx), 29).summary()).startsWith("the bundled policy's breach journal file:breach does"
        + " not exist in ");
    assertThat(Files.exists(dir.resolve("access"))).as("the check creates no store").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void theJdbcStoreAndJournalAreReadByTheChecksAndADeletedStepRowIsNamed(String kind, @TempDir Path dir)
      throws Exception {
    String ns = "rs" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    String url;
    DataSource admin = null;
    switch (kind) {
      case "h2" -> url = "jdbc:h2:mem:" + ns + ";DB_CLOSE_DELAY=-1";
      case "postgres" -> {
        Requirements.requirePostgres();
        admin = DriverManagerDataSource.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        exec(admin, "CREATE SCHEMA " + ns);
        url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + ns;
      }
      default -> {
        Requirements.requireMariaDb();
        admin = DriverManagerDataSource.of("jdbc:mariadb://127.0.0.1:3306/test?user=root");
        exec(admin, "CREATE DATABASE " + ns);
        url = "jdbc:mariadb://127.0.0.1:3306/" + ns + "?user=root";
      }
    }
    try {
      PolicyDocument p = policy(dir, url, url);
      DataSource ds = DriverManagerDataSource.of(url);
      deployment(dir, p, AccessStore.jdbc(ds), BreachJournal.jdbc(ds), new Logins(),
          BreachAndAdministratorChecksTest::drill);

      List<Judgement> js = judgeAll(context(p, dir));
      js.addAll(new AccessStoreCheck().judge(context(p, dir)));
      assertKept(js, 14, 15, 16, 17, 19, 21, 28, 29, 30, 31, 32);
      assertThat(judgement(js, 21).evidence().toString()).doesNotContain("password");

      exec(ds, "DELETE FROM pledge_breach_steps WHERE step = 'REVOKE_EXTERNAL_KEYS'");
      Judgement p29 = judgement(new BreachJournalCheck().judge(context(p, dir)), 29);
      assertThat(p29.verdict()).isEqualTo(Verdict.NOT_KEPT);
      assertThat(p29.summary()).isEqualTo("not done: DRILL-1: REVOKE_EXTERNAL_KEYS is missing from the journal");
    } finally {
      if (kind.equals("postgres")) {
        exec(admin, "DROP SCHEMA " + ns + " CASCADE");
      } else if (kind.equals("mariadb")) {
        exec(admin, "DROP DATABASE " + ns);
      }
    }
  }

  private static void exec(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
