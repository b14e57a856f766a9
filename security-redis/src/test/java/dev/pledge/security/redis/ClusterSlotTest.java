package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.testing.Requirements;
import dev.pledge.security.ratelimit.LoginFailureStore;
import dev.pledge.security.ratelimit.RateLimit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis Cluster: every key one script call uses must hash to one slot (CRC16 of the key's hash tag,
 * modulo 16384), or the cluster refuses the call with CROSSSLOT. Checked twice: by computing the slots
 * here, and against a private single-node cluster (a redis-server in cluster mode owning all slots),
 * which refuses cross-slot scripts for real.
 */
class ClusterSlotTest {
  private static final String[] ACCOUNTS = {"alice", "{bob}", "x}y{z", "", "}", "{}", "\u0000", "a{b}c", "ａｌｉｃｅ"};
  private static final String[] SOURCES = {"192.0.2.1", "2001:db8:1:2:0:0:0:0/64", "{device}", "}x", ""};
  private static final String[] LIMITER_KEYS = {"alice", "", "}x", "\u0000y", "{}", "a{b}c", "{tag}rest", "}"};

  @TempDir
  Path dir;
  private Process server;

  /** CRC16/XMODEM (polynomial 0x1021, initial 0), as Redis Cluster's key slots use it. */
  static int crc16(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        crc &= 0xffff;
      }
    }
    return crc;
  }

  /** The slot Redis Cluster gives {@code key}: CRC16 of its hash tag (the first non-empty {...}), else of the whole key. */
  static int slot(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int open = -1;
    for (int i = 0; i < k.length; i++) {
      if (k[i] == '{') {
        open = i;
        break;
      }
    }
    if (open >= 0) {
      for (int j = open + 1; j < k.length; j++) {
        if (k[j] == '}') {
          if (j > open + 1) {
            k = Arrays.copyOfRange(k, open + 1, j);
          }
          break;
        }
      }
    }
    return crc16(k) % 16384;
  }

  @Test
  void theSlotFunctionMatchesRedisClusterSpecification() {
    assertThat(crc16("123456789".getBytes(StandardCharsets.US_ASCII))).as("the spec's check value").isEqualTo(0x31C3);
    assertThat(slot("{user1000}.following")).isEqualTo(slot("{user1000}.followers")).isEqualTo(slot("user1000"));
    assertThat(slot("foo{}{bar}")).as("an empty first tag: the whole key").isEqualTo(crc16("foo{}{bar}".getBytes()) % 16384);
    assertThat(slot("foo{{bar}}zap")).isEqualTo(slot("{bar"));
    assertThat(ClusterKeys.hashedPart("foo{{bar}}zap")).isEqualTo("{bar");
    assertThat(ClusterKeys.hashedPart("foo{}{bar}")).isEqualTo("foo{}{bar}");
  }

  @Test
  void prefixesWithoutATagAreWrappedAndUselessOnesRefused() {
    assertThat(ClusterKeys.taggedPrefix("pledge:login:", "keyPrefix")).isEqualTo("{pledge:login:}");
    assertThat(ClusterKeys.taggedPrefix("{app}:login:", "keyPrefix")).isEqualTo("{app}:login:");
    assertThat(ClusterKeys.taggedPrefix("a}b", "keyPrefix")).isEqualTo("{a}b}");
    assertThatThrownBy(() -> RedisLoginFailureStore.builder("redis://127.0.0.1:6379").keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("keyPrefix must be a non-empty text that does not start with '}', got ''");
    assertThatThrownBy(() -> RedisLoginFailureStore.builder("redis://127.0.0.1:6379").keyPrefix("}x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limiterTagsAreDistinctForDistinctKeys() {
    for (String a : LIMITER_KEYS) {
      for (String b : LIMITER_KEYS) {
        if (!a.equals(b)) {
          assertThat(ClusterKeys.tag(a)).as("%s vs %s", a, b).isNotEqualTo(ClusterKeys.tag(b));
        }
      }
    }
    assertThat(ClusterKeys.tag("alice")).as("everyday keys keep their names").isEqualTo("{alice}");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  /** A private redis-server in cluster mode on a free port, owning every slot. */
  private String startCluster() throws Exception {
    Path binary = Requirements.requireCommand("redis-server", "apt-get install redis-server");
    int port = Requirements.freePort();
    server = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
        "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IllegalStateException("redis-server (cluster mode) did not start on port " + port + ": "
              + (Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : ""));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    String uri = "redis://127.0.0.1:" + port;
    try (RedisClient client = RedisClient.create(uri); StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().clusterAddSlotsRange(io.lettuce.core.Range.create(0, 16383));
      while (!c.sync().clusterInfo().contains("cluster_state:ok")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the one-node cluster did not become ready");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }
    return uri;
  }

  @Test
  void theLoginScriptsKeysShareASlotAndRunOnARealCluster() throws Exception {
    String uri = startCluster();
    try (RedisClient client = RedisClient.create(uri); StatefulRedisConnection<String, String> c = client.connect();
         RedisLoginFailureStore store = RedisLoginFailureStore.builder(uri).timeout(Duration.ofSeconds(5)).build()) {
      assertThatThrownBy(() -> c.sync().eval("return 1", ScriptOutputType.INTEGER, "pledge:login:a:alice",
          "pledge:login:s:192.0.2.1")).as("the cluster refuses untagged keys of one account and one source")
          .hasMessageContaining("CROSSSLOT");
      for (String account : ACCOUNTS) {
        for (String source : SOURCES) {
          String[] keys = store.keys(account, source);
          String request = keys[0].substring(0, keys[0].length() - account.length() - 2) + "r:any";
          assertThat(slot(keys[1])).as("%s / %s", account, source).isEqualTo(slot(keys[0])).isEqualTo(slot(request));
          assertThat(c.sync().clusterKeyslot(keys[0])).as("the server agrees with the computed slot")
              .isEqualTo(slot(keys[0]));
          LoginFailureStore.Counts counts = store.recordFailure(account, source, Duration.ofMinutes(1));
          assertThat(counts.accountFailures()).isPositive();
          assertThat(store.read(account, source).accountFailures()).isEqualTo(counts.accountFailures());
        }
        assertThat(store.clear(account, SOURCES[0]).accountFailures()).isEqualTo(SOURCES.length);
        assertThat(store.clearAccount(account)).isZero();
      }
    }
  }

  @Test
  void aRateLimitersKeysForOneDecisionShareASlotAndRunOnARealCluster() throws Exception {
    String uri = startCluster();
    try (RedisClient client = RedisClient.create(uri); StatefulRedisConnection<String, String> c = client.connect();
         RedisRateLimiter limiter = RedisRateLimiter.builder("api", uri).timeout(Duration.ofSeconds(5))
             .limit(RateLimit.of(10, Duration.ofSeconds(1))).limit(RateLimit.of(100, Duration.ofMinutes(1))).build()) {
      for (String key : LIMITER_KEYS) {
        String[] keys = limiter.keys(key);
        assertThat(keys).hasSize(2);
        assertThat(slot(keys[1])).as("key %s", key).isEqualTo(slot(keys[0]));
        assertThat(c.sync().clusterKeyslot(keys[1])).isEqualTo(slot(keys[1]));
        assertThat(limiter.redisMetrics().fallbackDecisions()).isZero();
        assertThat(limiter.tryAcquire(key)).as("decided by the cluster, key %s", key).isTrue();
        assertThat(limiter.redisMetrics().fallbackDecisions()).as("no CROSSSLOT fallback for %s", key).isZero();
        limiter.reset(key);
      }
    }
  }
}
