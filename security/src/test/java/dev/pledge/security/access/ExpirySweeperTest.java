package dev.pledge.security.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The expiry sweep on one node per slot, through the slot lock the backup scheduler uses, on the
 * machine's PostgreSQL and MariaDB: two sweepers (two nodes) on one store and one lock race for each
 * slot of a fake clock, and the grants of a node that is gone end in the first slot after their end.
 */
class ExpirySweeperTest {
  static final Duration PERIOD = Duration.ofMinutes(10);
  static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

  @TempDir Path dir;
  private final Stores stores = new Stores();
  private final List<Runnable> drops = new ArrayList<>();
  private final MutableClock clock = MutableClock.at(START);
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();

  @AfterEach
  void drop() {
    drops.forEach(Runnable::run);
    stores.close();
  }

  private static String url(String kind) {
    if (kind.equals("postgres")) {
      Requirements.requirePostgres();
      return Stores.POSTGRES;
    }
    Requirements.requireMariaDb();
    return Stores.MARIADB;
  }

  private SlotLock lock(String kind) {
    DataSource ds = DriverManagerDataSource.of(url(kind));
    String table = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT)
        + "_slots";
    drops.add(() -> Stores.drop(ds, table));
    return JdbcSlotLock.create(ds, table);
  }

  private AccessBroker broker(AccessStore store, String node) {
    return AccessBroker.builder(SharedAccessStoreTest.POLICY).clock(clock).audit(audit).store(store).node(node).build();
  }

  private ExpirySweeper sweeper(AccessStore store, SlotLock lock, String node) {
    return ExpirySweeper.builder(broker(store, node), lock).node(node).clock(clock).period(PERIOD).build();
  }

  /** Grants made by a node that is then gone, ending 5, 15, 25 and 35 minutes after the start. */
  private static Map<String, Instant> grantsOfAGoneNode(AccessBroker maker) {
    maker.enrol(Person.employee("mark", "Mark"));
    Map<String, Instant> ends = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      maker.enrol(Person.employee("ops" + i, "Ops " + i));
      AccessGrant g = maker.grantJustInTime("ops" + i, "operations", "shop/production", "INC-" + i,
          Duration.ofMinutes(5 + 10L * i), "mark");
      ends.put(g.id(), g.until());
    }
    return ends;
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb"})
  void twoNodesSharingTheLockSweepEachSlotExactlyOnceAndEndAGoneNodesGrantsInTheNextSlot(String kind)
      throws Exception {
    AccessStore store = stores.open(kind, dir);
    SlotLock lock = lock(kind);
    Map<String, Instant> ends = grantsOfAGoneNode(broker(store, "maker"));
    List<ExpirySweeper> nodes = List.of(sweeper(store, lock, "a"), sweeper(store, lock, "b"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<Instant, List<String>> sweptBy = new LinkedHashMap<>();
    Map<String, Instant> endedIn = new LinkedHashMap<>();
    try {
      for (int slot = 0; slot < 6; slot++) {
        Instant at = START.plus(PERIOD.multipliedBy(slot)).plusSeconds(1);
        clock.set(at);
        // each node tries twice, all four attempts at the same moment
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<List<AccessGrant>>>> tries = new ArrayList<>();
        List<String> who = new ArrayList<>();
        for (ExpirySweeper n : List.of(nodes.get(0), nodes.get(1), nodes.get(0), nodes.get(1))) {
          who.add(n == nodes.get(0) ? "a" : "b");
          tries.add(pool.submit(() -> {
            go.await();
            return n.sweep();
          }));
        }
        go.countDown();
        List<String> swept = new ArrayList<>();
        for (int i = 0; i < tries.size(); i++) {
          Optional<List<AccessGrant>> r = tries.get(i).get(30, TimeUnit.SECONDS);
          if (r.isPresent()) {
            swept.add(who.get(i));
            r.get().forEach(g -> endedIn.put(g.id(), at));
          }
        }
        sweptBy.put(nodes.get(0).slotAt(at), swept);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sweptBy).hasSize(6);
    assertThat(sweptBy.values()).as("one sweep per slot: %s", sweptBy).allSatisfy(s -> assertThat(s).hasSize(1));
    assertThat(endedIn).containsOnlyKeys(ends.keySet());
    ends.forEach((id, until) -> assertThat(endedIn.get(id))
        .as("grant %s ending %s ends in the first slot after it", id, until)
        .isAfter(until).isBefore(until.plus(PERIOD)));
    assertThat(audit.byAction("access.expire")).hasSize(4)
        .extracting(AuditRecord::actor).containsOnly("system");
    assertThat(store.grants()).allSatisfy(s -> assertThat(s.status()).isEqualTo(GrantStatus.EXPIRED));
    assertThat(nodes.get(1).sweep()).as("the slot of this moment is done").isEmpty();
  }

  @Test
  void aSlotHeldByANodeThatDiedIsTakenOverWhenItsLeaseEndsAndThenOnlyOnce() {
    AccessStore store = stores.open("postgres", dir);
    SlotLock lock = lock("postgres");
    AccessBroker maker = broker(store, "maker");
    Map<String, Instant> ends = grantsOfAGoneNode(maker);
    clock.set(START.plus(PERIOD).plusSeconds(1));
    ExpirySweeper survivor = ExpirySweeper.builder(broker(store, "b"), lock).node("b").clock(clock).period(PERIOD)
        .maxSweepTime(Duration.ofMinutes(2)).build();
    // node a took this slot, then died before sweeping
    Instant now = clock.instant();
    assertThat(lock.tryAcquire(ExpirySweeper.DEFAULT_NAME, survivor.slotAt(now), "a", now,
        now.plus(Duration.ofMinutes(2)))).isPresent();

    assertThat(survivor.sweep()).as("the slot is a's while its lease runs").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(survivor.sweep()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    Optional<List<AccessGrant>> taken = survivor.sweep();

    assertThat(taken).isPresent();
    assertThat(taken.get()).extracting(AccessGrant::id).containsExactly(ends.keySet().iterator().next());
    assertThat(survivor.sweep()).as("a completed slot is not swept again").isEmpty();
  }

  @Test
  void aFailedSweepLeavesItsSlotForARetryOnceTheLeaseEnds() {
    AccessStore store = stores.open("folder", dir);
    SlotLock lock = SlotLock.inMemory();
    AccessBroker maker = broker(store, "maker");
    grantsOfAGoneNode(maker);
    clock.set(START.plus(PERIOD).plusSeconds(1));
    AccessStore broken = new FailingStore(store);
    ExpirySweeper failing = ExpirySweeper.builder(broker(broken, "a"), lock).node("a").clock(clock).period(PERIOD)
        .maxSweepTime(Duration.ofMinutes(1)).build();
    ExpirySweeper other = ExpirySweeper.builder(broker(store, "b"), lock).node("b").clock(clock).period(PERIOD)
        .maxSweepTime(Duration.ofMinutes(1)).build();

    assertThatThrownBy(failing::sweep).hasMessageContaining("store unreachable");
    assertThat(other.sweep()).isEmpty();
    clock.advance(Duration.ofMinutes(1));

    assertThat(other.sweep()).hasValueSatisfying(g -> assertThat(g).hasSize(1));
  }

  @Test
  void sweepersOnTheHostsSchedulerEndAGrantOnceAndStopWhenClosed() throws Exception {
    AccessStore store = stores.open("folder", dir);
    SlotLock lock = SlotLock.inMemory();
    AccessBroker maker = broker(store, "maker");
    Map<String, Instant> ends = grantsOfAGoneNode(maker);
    clock.set(START.plus(PERIOD).plusSeconds(1));
    CountDownLatch expired = new CountDownLatch(1);
    AuditTrail watched = r -> {
      audit.record(r);
      if (r.action().equals("access.expire")) {
        expired.countDown();
      }
    };
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    LinkedBlockingQueue<RuntimeException> failures = new LinkedBlockingQueue<>();
    List<ExpirySweeper> nodes = new ArrayList<>();
    try {
      for (String n : List.of("a", "b")) {
        AccessBroker b = AccessBroker.builder(SharedAccessStoreTest.POLICY).clock(clock).audit(watched).store(store)
            .node(n).build();
        // a real period, so a tick comes every 25 ms; the slot is the fake clock's and never changes here
        nodes.add(ExpirySweeper.builder(b, lock).node(n).clock(clock).period(Duration.ofMillis(100))
            .onFailure(failures::add).build().start(scheduler));
      }
      assertThat(expired.await(30, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> nodes.get(0).start(scheduler)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("started already");
    } finally {
      nodes.forEach(ExpirySweeper::close);
      scheduler.shutdown();
      assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures).isEmpty();
    assertThat(audit.byAction("access.expire")).hasSize(1);
    assertThat(store.grant(ends.keySet().iterator().next()).orElseThrow().status()).isEqualTo(GrantStatus.EXPIRED);
  }

  @Test
  void slotsAreWholePeriodsFromTheEpochAndTheBuilderRefusesNonsense() {
    ExpirySweeper s = ExpirySweeper.builder(broker(AccessStore.inMemory(), "a"), SlotLock.inMemory())
        .period(Duration.ofMinutes(10)).build();
    assertThat(s.slotAt(Instant.parse("2026-11-02T09:19:59.999Z"))).isEqualTo(Instant.parse("2026-11-02T09:10:00Z"));
    assertThat(s.slotAt(Instant.parse("2026-11-02T09:20:00Z"))).isEqualTo(Instant.parse("2026-11-02T09:20:00Z"));
    assertThat(s.toString()).contains("access-expiry@node-");
    assertThatThrownBy(() -> ExpirySweeper.builder(broker(AccessStore.inMemory(), "a"), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("lock");
    assertThatThrownBy(() -> ExpirySweeper.builder(broker(AccessStore.inMemory(), "a"), SlotLock.inMemory())
        .period(Duration.ZERO)).hasMessageContaining("period must be greater than zero, got PT0S");
    assertThatThrownBy(() -> ExpirySweeper.builder(broker(AccessStore.inMemory(), "a"), SlotLock.inMemory())
        .name(" ")).hasMessageContaining("name must be 1-100 characters");
  }

  @Test
  void twoJvmsSharingAPostgresLockSweepEachSlotExactlyOnceAndEndEveryGrant() throws Exception {
    DataSource ds = DriverManagerDataSource.of(url("postgres"));
    String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    String lockTable = prefix + "_slots";
    String results = prefix + "_sweeps";
    drops.add(() -> Stores.drop(ds, prefix + "_people", prefix + "_requests", prefix + "_grants", lockTable, results));
    AccessStore store = AccessStore.jdbc(ds, prefix);
    AccessBroker maker = broker(store, "maker");
    maker.enrol(Person.employee("mark", "Mark"));
    int grants = 8;
    int slots = 20;
    for (int i = 0; i < grants; i++) {
      maker.enrol(Person.employee("ops" + i, "Ops " + i));
      maker.grantJustInTime("ops" + i, "operations", "shop/production", "INC-" + i,
          Duration.ofMinutes(7 + 20L * i), "mark");
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + results + " (slot_ms BIGINT NOT NULL, node VARCHAR(20) NOT NULL, ended INT NOT NULL)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> jvms = new ArrayList<>();
    for (String node : List.of("primary", "spare")) {
      jvms.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SweeperNodeMain.class.getName(),
          Stores.POSTGRES, lockTable, prefix, results, node, String.valueOf(slots), START.toString(),
          String.valueOf(PERIOD.toMinutes())).redirectErrorStream(true).start());
    }
    for (Process p : jvms) {
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(p.exitValue()).as(out).isZero();
    }

    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT slot_ms), SUM(ended) FROM " + results)) {
      r.next();
      assertThat(r.getInt(1)).as("sweeps").isEqualTo(slots);
      assertThat(r.getInt(2)).as("distinct slots swept").isEqualTo(slots);
      assertThat(r.getInt(3)).as("grants ended").isEqualTo(grants);
    }
    assertThat(store.grants()).hasSize(grants)
        .allSatisfy(s -> assertThat(s.status()).isEqualTo(GrantStatus.EXPIRED));
  }

  /** A store whose grants cannot be read, as when the database is unreachable. */
  private static final class FailingStore implements AccessStore {
    private final AccessStore d;

    FailingStore(AccessStore delegate) {
      this.d = delegate;
    }

    @Override
    public List<StoredGrant> grants() {
      throw new dev.pledge.core.PledgeException("store unreachable");
    }

    @Override
    public boolean addPerson(Person person, Instant at) {
      return d.addPerson(person, at);
    }

    @Override
    public Optional<EnrolledPerson> person(String account) {
      return d.person(account);
    }

    @Override
    public List<EnrolledPerson> people() {
      return d.people();
    }

    @Override
    public boolean markDeparted(String account, Instant at) {
      return d.markDeparted(account, at);
    }

    @Override
    public void addRequest(AccessRequest request) {
      d.addRequest(request);
    }

    @Override
    public Optional<AccessRequest> request(String id) {
      return d.request(id);
    }

    @Override
    public List<AccessRequest> requests() {
      return d.requests();
    }

    @Override
    public boolean decideRequest(AccessRequest decided) {
      return d.decideRequest(decided);
    }

    @Override
    public void addGrant(AccessGrant grant) {
      d.addGrant(grant);
    }

    @Override
    public Optional<StoredGrant> grant(String id) {
      return d.grant(id);
    }

    @Override
    public boolean endGrant(String id, GrantStatus to, Instant at, String by, String node) {
      return d.endGrant(id, to, at, by, node);
    }

    @Override
    public boolean claimCleanup(String id, String node, Instant now, Instant staleBefore) {
      return d.claimCleanup(id, node, now, staleBefore);
    }

    @Override
    public void markCleaned(String id) {
      d.markCleaned(id);
    }
  }

  @Test
  void aStoppedSweeperStartsAgainAndAStartedOneRefusesASecondStart() throws Exception {
    ExpirySweeper s = sweeper(AccessStore.inMemory(), SlotLock.inMemory(), "a");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      assertThat(s.start(scheduler)).isSameAs(s);
      s.close();
      s.close();
      assertThat(s.start(scheduler)).as("started again after close").isSameAs(s);
      assertThatThrownBy(() -> s.start(scheduler)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("started already");
    } finally {
      s.close();
      scheduler.shutdown();
      assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
