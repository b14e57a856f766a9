package dev.pledge.examples.tour;

import dev.pledge.core.Secret;
import dev.pledge.security.access.AccessTarget;
import dev.pledge.security.access.TargetLogin;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The tour's stand-in for a database server, which it cannot assume: the logins Pledge makes there
 * are kept in memory, and its one administrative login is the policy's named administrator. A real
 * deployment plugs in {@link AccessTarget#postgres} or {@link AccessTarget#mariadb} the same way.
 * Thread-safe.
 */
final class SimulatedTarget implements AccessTarget {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String name;
  private final String administrator;
  private final Map<String, Instant> logins = new ConcurrentSkipListMap<>();

  SimulatedTarget(String name, String administrator) {
    this.name = name;
    this.administrator = administrator;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String loginPrefix() {
    return "pledge_";
  }

  @Override
  public TargetLogin createLogin(String login, String databaseRole, Instant until) {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    logins.put(login, until);
    return new TargetLogin(name, login, Secret.ofUtf8(HexFormat.of().formatHex(b)), until);
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
    return List.of(administrator);
  }
}
