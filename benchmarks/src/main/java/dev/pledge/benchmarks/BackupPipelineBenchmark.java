package dev.pledge.benchmarks;

import dev.pledge.core.audit.AuditTrail;
import com.github.luben.zstd.ZstdOutputStream;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One backup of {@code sizeMiB} of log-like text (compresses about 3-4x) to the file store
 * ({@code impl=pledge}: read, zstd-3, Tink AES256_GCM_HKDF_1MB, two SHA-256s, fsync'd file), beside
 * the raw throughput of the same Tink streaming AEAD alone ({@code tink}) and zstd-3 alone
 * ({@code zstd}) on the same bytes read from the same file in the same 64 KiB chunks, each into a null
 * stream. Single-shot: the score is milliseconds per backup; throughput is size / score. Runs in a
 * 256 MiB heap, which a 1 GiB backup must fit (bounded memory); prints the peak heap after each trial.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class BackupPipelineBenchmark {

  @Param({"pledge", "tink", "zstd"})
  public String impl;

  @Param({"1024"})
  public int sizeMiB;

  private Path dir;
  private Path data;
  private FileStore store;
  private BackupEngine engine;
  private StreamingAead aead;
  private final AtomicLong peakLive = new AtomicLong();
  private final java.util.Set<String> heapPools = new java.util.HashSet<>();
  private final NotificationListener afterGc = this::afterGc;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("pledge-bench");
    Path src = Files.createDirectories(dir.resolve("src"));
    data = src.resolve("app.log");
    String[] words = {"GET", "POST", "/api/orders", "/api/items", "200", "404", "503", "shop", "portal", "user",
        "latency_ms=", "trace=", "eu-west-2", "checkout", "basket", "INFO", "WARN", "ERROR"};
    Random r = new Random(1);
    long target = (long) sizeMiB << 20;
    try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.US_ASCII)) {
      long written = 0;
      StringBuilder line = new StringBuilder(160);
      while (written < target) {
        line.setLength(0);
        line.append("2026-11-01T06:").append(r.nextInt(60)).append(':').append(r.nextInt(60)).append('Z');
        for (int k = 0; k < 10; k++) {
          line.append(' ').append(words[r.nextInt(words.length)]).append(r.nextInt(100000));
        }
        line.append('\n');
        w.write(line.toString());
        written += line.length();
      }
    }
    store = FileStore.at(dir.resolve("store"));
    engine = BackupEngine.builder(LocalKeyWrapper.generate(dir.resolve("master.key"))).auditTrail(AuditTrail.toLog()).build();
    StreamingAeadConfig.register();
    aead = KeysetHandle.generateNew(KeyTemplates.get("AES256_GCM_HKDF_1MB"))
        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    peakLive.set(0);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(afterGc, null, null);
    }
  }

  /** The heap in use right after each collection: the live data, whose maximum bounds what a backup holds. */
  private void afterGc(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    peakLive.accumulateAndGet(used, Math::max);
  }

  @TearDown(Level.Iteration)
  public void emptyStore() throws IOException {
    deleteTree(dir.resolve("store"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) gc).removeNotificationListener(afterGc);
      } catch (javax.management.ListenerNotFoundException ignored) {
        // nothing to remove
      }
    }
    System.out.printf("%n[peak heap] impl=%s sizeMiB=%d: %.1f MiB sum of heap pools' peaks (garbage included), "
        + "%.1f MiB peak after GC (live), -Xmx%d MiB%n",
        impl, sizeMiB, peak / 1048576.0, peakLive.get() / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
    deleteTree(dir);
  }

  @Benchmark
  public long backup() throws Exception {
    switch (impl) {
      case "pledge":
        return engine.backup(DirectorySource.of(data.getParent()), Scope.of("bench", "production"), List.of(store)).storedBytes();
      case "tink":
        try (InputStream in = Files.newInputStream(data);
            OutputStream out = aead.newEncryptingStream(OutputStream.nullOutputStream(), new byte[0])) {
          return copy(in, out);
        }
      case "zstd":
        try (InputStream in = Files.newInputStream(data);
            OutputStream out = new ZstdOutputStream(OutputStream.nullOutputStream(), 3)) {
          return copy(in, out);
        }
      default:
        throw new IllegalArgumentException("impl must be pledge, tink or zstd, got '" + impl + "'");
    }
  }

  /**
   * Copies in 64 KiB chunks, as {@code DirectorySource} reads files: {@code transferTo}'s 8 KiB writes
   * cost zstd-jni a native call per 8 KiB and would make the baseline slower than it can be.
   */
  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
