package dev.pledge.benchmarks;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.pledge.security.password.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * bcrypt at equal cost (P23): Pledge's {@link PasswordHasher} beside at.favre.lib bcrypt, the library
 * it wraps, called directly. Cost 5 (not the policy's 12) so that a short run gets enough samples;
 * the overhead being measured (normalization, the 72-byte check, format checks) does not depend on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BcryptBenchmark {
  static final int COST = 5;
  static final String PASSWORD = "correct horse battery staple";

  @Param({"pledge", "library"})
  public String impl;

  private PasswordHasher pledge;
  private BCrypt.Hasher hasher;
  private BCrypt.Verifyer verifyer;
  private String hash;

  @Setup
  public void setUp() {
    pledge = PasswordHasher.bcrypt(COST);
    hasher = BCrypt.with(BCrypt.Version.VERSION_2B, LongPasswordStrategies.none());
    verifyer = BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.none());
    hash = pledge.hash(PASSWORD);
  }

  @Benchmark
  public Object hash() {
    return impl.equals("pledge") ? pledge.hash(PASSWORD)
        : new String(hasher.hash(COST, PASSWORD.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
  }

  @Benchmark
  public boolean verify() {
    return impl.equals("pledge") ? pledge.verify(PASSWORD, hash)
        : verifyer.verify(PASSWORD.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.US_ASCII)).verified;
  }
}
