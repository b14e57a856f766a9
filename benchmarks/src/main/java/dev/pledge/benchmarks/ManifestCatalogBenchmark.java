package dev.pledge.benchmarks;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.LogSegment;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading the point-in-time catalog of {@code segments} log backups (plus one full backup) from the
 * file store: {@code list} parses every manifest as stored, {@code listAuthenticated} also unwraps
 * each backup's data key with the local master key and checks the manifest's HMAC, as {@code
 * PitrArchive.plan} does, with the engine's cache of checked manifests turned off, so every call
 * checks every manifest. {@code listAuthenticatedReplan} is a replan with the cache on (the
 * default): the manifests are read and hashed, but keys are unwrapped and MACs checked only for
 * manifests not checked before, here none (the setup warmed the cache). The ratios are the price of
 * authenticating the catalog with a local key, first time and on a replan; a KMS key adds one
 * key-service round trip per manifest checked on top, which the replan avoids.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ManifestCatalogBenchmark {
  private static final Scope SCOPE = Scope.of("shop", "production");

  @Param({"300"})
  public int segments;

  private Path dir;
  private FileStore store;
  private BackupEngine engine;
  private BackupEngine cached;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("pledge-catalog-bench");
    LocalKeyWrapper key = LocalKeyWrapper.generate(dir.resolve("master.key"));
    engine = BackupEngine.builder(key).checkedManifestCacheSize(0).auditTrail(AuditTrail.toLog()).build();
    cached = BackupEngine.builder(key).auditTrail(AuditTrail.toLog()).build();
    store = FileStore.at(dir.resolve("store"));
    BackupManifest full = engine.backup(source("postgres-base", "base"), SCOPE, List.of(store));
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 1; i <= segments; i++) {
      String name = String.format("00000001%016X", i);
      engine.backup(source("postgres-wal", name), SCOPE, List.of(store), full.id(),
          new LogSegment(name, 1, t.plusSeconds(300L * (i - 1)), t.plusSeconds(300L * i)));
    }
    cached.listAuthenticated(store, SCOPE); // the first plan, which checks every manifest
  }

  private static BackupSource source(String kind, String content) {
    return new BackupSource() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public String description() {
        return kind + " " + content;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Benchmark
  public List<BackupManifest> list() {
    return engine.list(store, SCOPE);
  }

  @Benchmark
  public List<BackupManifest> listAuthenticated() {
    return engine.listAuthenticated(store, SCOPE);
  }

  @Benchmark
  public List<BackupManifest> listAuthenticatedReplan() {
    return cached.listAuthenticated(store, SCOPE);
  }
}
