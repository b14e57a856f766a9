package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.schedule.ScheduleEvent;
import dev.pledge.backup.schedule.Trigger;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.source.PostgresDatabase;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Scope;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any audit record (issue 14, item 6) from the backup module: the engine (backup,
 * verify, restore, refusals and failures) and the scheduler are driven with passwords, tokens and
 * keys in their inputs and in their collaborators' failures; the trail's bytes on disk, the
 * scheduler's events and alerts, and the errors the caller sees are searched for each of them.
 */
class SecretsInAuditTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final String DB_PASSWORD = "pg-App-hunter2-5d2e";
  private static final String TOKEN = "tok_live_0b7f3e9a22d1";
  private static final String LEAKY = "pg_dump: connection to postgresql://app:" + DB_PASSWORD
      + "@db.internal:5432/shop?sslmode=require&token=" + TOKEN + " failed";

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-01T06:30:10Z");
  private ChainedAuditTrail trail;
  private Path file;
  private final List<String> secrets = new ArrayList<>(List.of(DB_PASSWORD, TOKEN));

  @BeforeEach
  void openTrail() {
    file = dir.resolve("audit.jsonl");
    trail = AuditTrail.jsonLines(file);
  }

  @AfterEach
  void closeTrail() {
    trail.close();
  }

  private void assertTrailHoldsNoSecret() throws IOException {
    trail.close();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).as("the trail recorded something").isNotBlank();
    for (String s : secrets) {
      assertThat(text).as("the trail must not hold a secret").doesNotContain(s);
    }
  }

  /** A source whose dump tool fails quoting its connection string, password and token included. */
  private static final class LeakySource implements BackupSource {
    @Override
    public String kind() {
      return "postgres";
    }

    @Override
    public String description() {
      return "postgres:postgresql://app@db.internal:5432/shop";
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      out.write("partial".getBytes(StandardCharsets.UTF_8));
      throw new IOException(LEAKY);
    }
  }

  @Test
  void theEngineAuditsBackupsRestoresAndFailuresWithoutKeysOrPasswords() throws Exception {
    Path keyFile = dir.resolve("master.key");
    LocalKeyWrapper key = LocalKeyWrapper.generate(keyFile);
    byte[] keyBytes = Files.readAllBytes(keyFile);
    secrets.add(Base64.getEncoder().encodeToString(keyBytes));
    secrets.add(HexFormat.of().formatHex(keyBytes));
    secrets.add(new String(keyBytes, StandardCharsets.ISO_8859_1).strip());
    BackupEngine engine = BackupEngine.builder(key).clock(clock).auditTrail(trail).build();
    FileStore store = FileStore.builder(dir.resolve("store")).clock(clock).build();
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.writeString(site.resolve(".env"), "DATABASE_PASSWORD=" + DB_PASSWORD + "\nAPI_TOKEN=" + TOKEN + "\n");

    BackupManifest m = engine.backup(DirectorySource.of(site), SHOP, List.of(store));
    secrets.add(m.wrappedKey());
    assertThat(engine.verify(store, m.id()).ok()).isTrue();
    engine.restore(store, m.id(), DirectoryTarget.of(dir.resolve("restored")));
    assertThat(Files.readString(dir.resolve("restored/.env"))).contains(DB_PASSWORD);

    // a dump tool whose error quotes the connection string
    assertThatThrownBy(() -> engine.backup(new LeakySource(), SHOP, List.of(store)))
        .isInstanceOf(PledgeException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(DB_PASSWORD).doesNotContain(TOKEN));
    // a real pg_dump, given the password as a Secret, against a port nothing listens on
    PostgresDatabase pg = PostgresDatabase.of(DatabaseUrl.parse("postgresql://app@127.0.0.1:1/shop"),
        Secret.ofUtf8(DB_PASSWORD));
    assertThatThrownBy(() -> engine.backup(pg, SHOP, List.of(store)))
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(DB_PASSWORD));
    // a URL with a password is refused without echoing it
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:" + DB_PASSWORD + "@db:5432/shop"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(DB_PASSWORD));

    assertThat(trail.records()).extracting(r -> r.action())
        .contains("backup.run", "backup.verify", "backup.restore");
    assertThat(trail.records()).filteredOn(r -> r.details().getOrDefault("reason", "").contains("db.internal"))
        .singleElement().satisfies(r -> assertThat(r.details().get("reason")).contains("app:***@db.internal"));
    assertTrailHoldsNoSecret();
  }

  @Test
  void theSchedulerAuditsAFailedRunWithoutThePasswordItsJobQuoted() throws Exception {
    List<ScheduleEvent> events = new CopyOnWriteArrayList<>();
    RecordingNotifier alerts = dev.pledge.core.notify.Notifier.recording();
    BackupScheduler s = BackupScheduler.builder("node-a").clock(clock).lock(SlotLock.inMemory()).audit(trail)
        .executor(Runnable::run).notifier(alerts).retries(1, Duration.ofSeconds(1), 2.0).build()
        .register(Schedule.of("shop-db", SHOP, Trigger.every(Duration.ofMinutes(5))), (scope, slot) -> {
          throw new IOException(LEAKY);
        });
    s.onEvent(events::add);
    s.tick();
    assertThat(trail.records()).singleElement().satisfies(r -> assertThat(r.details().get("error"))
        .contains("app:***@db.internal"));
    assertThat(events).isNotEmpty().allSatisfy(e -> {
      for (String secret : secrets) {
        assertThat(e.toString()).as("schedule events must not hold a secret").doesNotContain(secret);
      }
    });
    assertThat(alerts.alerts()).isNotEmpty().allSatisfy(a -> {
      for (String secret : secrets) {
        assertThat(a.toString()).as("alerts must not hold a secret").doesNotContain(secret);
      }
    });
    assertTrailHoldsNoSecret();
  }
}
