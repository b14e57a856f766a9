package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThrottleCommandTest {
  private static final String REDIS = "redis://127.0.0.1:6379/0";

  @Test
  void withoutAStoreEachProcessStartsEmptyAndAnswersPerTheContract(@TempDir Path dir) throws Exception {
    CliRun fail = CliRun.of("throttle", "fail", "--account", "alice", "--source", "203.0.113.7", "--json");
    assertThat(fail.exitCode()).as(fail.err()).isZero();
    JsonNode j = fail.json();
    assertThat(j.get("allowed").asBoolean()).isTrue();
    assertThat(j.get("retryAfter").asText()).isEqualTo("PT0S");
    assertThat(j.get("accountFailures").asInt()).isEqualTo(1);
    assertThat(j.get("sourceFailures").asInt()).isEqualTo(1);
    CliRun check = CliRun.of("throttle", "check", "--account", "alice", "--source", "203.0.113.7", "--json");
    assertThat(check.json().get("accountFailures").asInt()).as("a new process starts empty").isZero();
  }

  @Test
  void badUsageExitsTwo() {
    CliRun noSource = CliRun.of("throttle", "fail", "--account", "alice");
    assertThat(noSource.exitCode()).isEqualTo(2);
    CliRun badStore = CliRun.of("throttle", "check", "--account", "a", "--source", "s", "--store", "memcached://x:1");
    assertThat(badStore.exitCode()).isEqualTo(2);
    assertThat(badStore.err()).contains("--store").contains("redis://");
    CliRun down = CliRun.of("throttle", "check", "--account", "a", "--source", "s", "--store",
        "redis://:s3cret@127.0.0.1:" + Requirements.freePort());
    assertThat(down.exitCode()).as("an unreachable store is an operational failure").isEqualTo(3);
    assertThat(down.err()).contains("cannot connect to Redis").doesNotContain("s3cret");
  }

  /** Two JVMs (the CLI run twice as child processes) sharing the machine's Redis. */
  @Test
  void twoProcessesShareOneLockoutThroughRedisAndAnOperatorUnlocksIt(@TempDir Path dir) throws Exception {
    Requirements.requireRedis();
    String account = "cli-" + UUID.randomUUID();
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "loginThrottle:\n  maxFailuresPerAccount: 3\n  freeFailures: 1\n");
    for (int i = 0; i < 2; i++) {
      CliRun run = CliRun.of("throttle", "fail", "--account", account, "--source", "198.51.100." + i, "--store", REDIS,
          "--policy", policy.toString());
      assertThat(run.exitCode()).as(run.err()).isIn(0, 1);
    }
    CliRun third = child("throttle", "fail", "--account", account.toUpperCase() + " ", "--source", "198.51.100.9",
        "--store", REDIS, "--policy", policy.toString(), "--json");
    assertThat(third.exitCode()).as(third.err()).isEqualTo(1);
    assertThat(third.json().get("accountFailures").asInt()).as("counted across processes, one account").isEqualTo(3);
    CliRun check = CliRun.of("throttle", "check", "--account", account, "--source", "192.0.2.1", "--store", REDIS,
        "--policy", policy.toString(), "--json");
    assertThat(check.exitCode()).as("locked out in this JVM too").isEqualTo(1);
    assertThat(check.json().get("retryAfter").asText()).startsWith("PT2");
    CliRun reset = CliRun.of("throttle", "reset", "--account", account, "--store", REDIS, "--policy", policy.toString());
    assertThat(reset.exitCode()).as(reset.err()).isZero();
    assertThat(child("throttle", "check", "--account", account, "--source", "192.0.2.1", "--store", REDIS,
        "--policy", policy.toString()).exitCode()).as("unlocked for the other process").isZero();
    for (int i = 0; i < 3; i++) {
      CliRun.of("throttle", "succeed", "--account", account, "--source", "198.51.100." + (i == 2 ? 9 : i), "--store", REDIS);
    }
  }

  /** Runs the CLI in a new JVM on this test's class path. */
  static CliRun child(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add(PledgeCli.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("pledge " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new CliRun(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }
}
