package dev.pledge.security.breach;

import dev.pledge.core.Secret;
import dev.pledge.security.breach.internal.MariaDbCredential;
import dev.pledge.security.breach.internal.PostgresCredential;
import dev.pledge.security.breach.internal.RedisCredential;
import java.net.InetSocketAddress;
import javax.sql.DataSource;

/**
 * One data-store login whose password the breach protocol changes (P31): a PostgreSQL role, a
 * MariaDB user, a Redis ACL user. Implementations must be thread-safe and never log a password.
 */
public interface DatastoreCredential {

  /** A name for reports and for the {@link SecretSink}, such as {@code postgres-app}. */
  String name();

  /**
   * Sets the login's password to {@code password}; setting the same password twice is harmless.
   *
   * @throws dev.pledge.core.PledgeException if the store refuses or the login does not exist
   */
  void setPassword(Secret password);

  /**
   * Rehearses a change with no lasting effect (P32): creates a probe login with a random name and
   * password, with the same rights this change would use, and drops it again.
   *
   * @return the probe login's name
   */
  String rehearse();

  /** A PostgreSQL role: {@code ALTER ROLE login PASSWORD ...} through {@code admin}. */
  static DatastoreCredential postgres(String name, DataSource admin, String login) {
    return new PostgresCredential(name, admin, login);
  }

  /** A MariaDB or MySQL user {@code 'login'@'host'}: {@code ALTER USER ... IDENTIFIED BY ...}. */
  static DatastoreCredential mariadb(String name, DataSource admin, String login, String host) {
    return new MariaDbCredential(name, admin, login, host);
  }

  /**
   * A Redis ACL user: {@code ACL SETUSER user resetpass >password} over the Redis protocol to
   * {@code server}, authenticated as {@code adminUser} with {@code adminPassword} when given.
   */
  static DatastoreCredential redis(String name, InetSocketAddress server, String adminUser, Secret adminPassword,
      String user) {
    return new RedisCredential(name, server, adminUser, adminPassword, user);
  }
}
