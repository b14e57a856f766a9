package dev.pledge.backup;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.RestoreTarget;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.backup.store.StoreIOException;
import dev.pledge.core.Scope;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process fault injection: a store whose writes, commits and manifest puts fail at random (about
 * 10% of backups end in a fault). Every backup either completes and restores byte-identical, or fails
 * with a BackupException and leaves nothing listed and no partial file.
 */
class FaultInjectionTest {
  @TempDir Path tmp;

  @Test
  void fiftyBackupsUnderFaultsEitherRestoreIdenticalOrLeaveNothing() throws IOException {
    FileStore inner = FileStore.at(tmp.resolve("store"));
    Random faults = new Random(2026);
    BackupStore flaky = new FlakyStore(inner, faults);
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
    int completed = 0;
    int failed = 0;
    for (int i = 0; i < 50; i++) {
      byte[] content = new byte[200_000 + i * 1000];
      new Random(i).nextBytes(content);
      BackupSource src = new BackupSource() {
        @Override public String kind() { return "bytes"; }
        @Override public String description() { return "bytes:test"; }
        @Override public void writeTo(OutputStream out) throws IOException { out.write(content); }
      };
      int listedBefore = engine.list(inner, null).size();
      try {
        BackupManifest m = engine.backup(src, Scope.of("shop", "production"), List.of(flaky));
        ByteArrayOutputStream restored = new ByteArrayOutputStream();
        engine.restore(inner, m.id(), new RestoreTarget() {
          @Override public String kind() { return "bytes"; }
          @Override public String description() { return "bytes:memory"; }
          @Override public void restoreFrom(InputStream in) throws IOException { in.transferTo(restored); }
        });
        assertThat(restored.toByteArray()).isEqualTo(content);
        completed++;
      } catch (BackupException e) {
        assertThat(e.getMessage()).contains("injected fault");
        assertThat(engine.list(inner, null)).hasSize(listedBefore);
        failed++;
      }
    }
    assertThat(completed + failed).isEqualTo(50);
    assertThat(failed).isBetween(1, 25);
    assertThat(engine.list(inner, null)).hasSize(completed);
    try (Stream<Path> s = Files.walk(inner.root())) {
      assertThat(s.filter(p -> p.getFileName().toString().endsWith(".partial"))).isEmpty();
    }
    try (Stream<Path> s = Files.walk(inner.root())) {
      // one data object and one manifest per completed backup: failed ones left no orphan data
      assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(2L * completed);
    }
  }

  /** Fails writes (1 in 60 chunks), commits and manifest puts (about 3% each). */
  private record FlakyStore(FileStore inner, Random faults) implements BackupStore {
    @Override public String location() { return inner.location(); }

    @Override
    public PendingObject create(String key) throws IOException {
      PendingObject p = inner.create(key);
      OutputStream flaky = new FilterOutputStream(p.stream()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (faults.nextInt(60) == 0) {
            throw new StoreIOException("injected fault while writing " + key, null);
          }
          out.write(b, off, len);
        }
      };
      return new PendingObject() {
        @Override public OutputStream stream() { return flaky; }
        @Override
        public void commit() throws IOException {
          if (faults.nextInt(33) == 0) {
            p.abort();
            throw new StoreIOException("injected fault while committing " + key, null);
          }
          p.commit();
        }
        @Override public void abort() { p.abort(); }
      };
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
      if (faults.nextInt(33) == 0) {
        throw new StoreIOException("injected fault while writing manifest " + key, null);
      }
      inner.put(key, bytes);
    }

    @Override public InputStream open(String key) throws IOException { return inner.open(key); }
    @Override public List<String> list(String prefix) throws IOException { return inner.list(prefix); }
    @Override public void delete(String key) throws IOException { inner.delete(key); }
    @Override public int cleanUpIncomplete() throws IOException { return inner.cleanUpIncomplete(); }
  }
}
