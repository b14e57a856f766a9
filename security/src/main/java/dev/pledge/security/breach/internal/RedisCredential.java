package dev.pledge.security.breach.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.DatastoreCredential;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link DatastoreCredential#redis}: {@code ACL SETUSER user resetpass >password} drops every old
 * password of the user and sets the new one, leaving its rules and keys as they were. Thread-safe:
 * each call opens its own connection.
 */
public final class RedisCredential implements DatastoreCredential {
  private final String name;
  private final InetSocketAddress server;
  private final String adminUser;
  private final Secret adminPassword;
  private final String user;

  /** The credential; see {@link DatastoreCredential#redis}. */
  public RedisCredential(String name, InetSocketAddress server, String adminUser, Secret adminPassword, String user) {
    this.name = Objects.requireNonNull(name, "name");
    this.server = Objects.requireNonNull(server, "server");
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    if (user == null || !user.matches("[A-Za-z0-9_.:-]{1,128}")) {
      throw new IllegalArgumentException("Redis user must be letters, digits and _.:- , got '" + user + "'");
    }
    this.user = user;
  }

  @Override
  public String name() {
    return name;
  }

  private Resp open() throws IOException {
    Resp r = Resp.connect(server);
    if (adminPassword != null) {
      byte[] pw = adminPassword.bytes();
      try {
        if (adminUser == null) {
          r.call("AUTH".getBytes(StandardCharsets.US_ASCII), pw);
        } else {
          r.call("AUTH".getBytes(StandardCharsets.US_ASCII), adminUser.getBytes(StandardCharsets.UTF_8), pw);
        }
      } catch (IOException e) {
        r.close();
        throw e;
      } finally {
        Arrays.fill(pw, (byte) 0);
      }
    }
    return r;
  }

  @Override
  public void setPassword(Secret password) {
    Secrets.requireQuotable(password);
    try (Resp r = open()) {
      if (r.call("ACL", "GETUSER", user) == null) {
        throw new PledgeException(name + ": Redis user '" + user + "' does not exist");
      }
      setUser(r, user, password, false);
    } catch (IOException e) {
      throw new PledgeException(name + ": cannot change the password of Redis user '" + user + "': " + e.getMessage(),
          e);
    }
  }

  private static void setUser(Resp r, String who, Secret password, boolean create) throws IOException {
    byte[] pw = password.bytes();
    byte[] arg = new byte[pw.length + 1];
    arg[0] = '>';
    System.arraycopy(pw, 0, arg, 1, pw.length);
    try {
      if (create) {
        r.call(b("ACL"), b("SETUSER"), b(who), b("off"), b("resetpass"), arg);
      } else {
        r.call(b("ACL"), b("SETUSER"), b(who), b("resetpass"), arg);
      }
    } finally {
      Arrays.fill(pw, (byte) 0);
      Arrays.fill(arg, (byte) 0);
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String rehearse() {
    String probe = "pledge_probe_" + Secrets.token();
    try (Resp r = open()) {
      setUser(r, probe, Secrets.random(), true);
      setUser(r, probe, Secrets.random(), false);
      r.call("ACL", "DELUSER", probe);
      return probe;
    } catch (IOException e) {
      throw new PledgeException(name + ": the rehearsal with probe user " + probe + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "RedisCredential[" + name + ", " + user + "@" + server.getHostString() + ":" + server.getPort() + "]";
  }
}
