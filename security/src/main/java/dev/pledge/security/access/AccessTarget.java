package dev.pledge.security.access;

import dev.pledge.security.access.internal.MariaDbTarget;
import dev.pledge.security.access.internal.PostgresTarget;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * A real system on which a grant becomes a login of its own, and stops being one when the grant
 * ends (P15, P17, P18): a database server, a bastion, a cloud account. Pledge ships PostgreSQL
 * ({@link #postgres}) and MariaDB/MySQL ({@link #mariadb}); hosts add others.
 *
 * <p>Every login a target makes for Pledge starts with {@link #loginPrefix()}, so logins that no
 * active grant holds (orphans) can be found and removed. Implementations must be thread-safe, and
 * {@link #dropLogin} must be idempotent: several nodes may sweep the same ended grant.
 */
public interface AccessTarget {

  /** The target's name, as grants record it (for the command line, its URL without a password). */
  String name();

  /** The prefix of every login this target makes for Pledge. */
  String loginPrefix();

  /**
   * Creates {@code login} with a new random password, holding {@code databaseRole}'s rights, that
   * stops working at {@code until} where the system can say so. The password is returned once and
   * kept nowhere.
   *
   * @throws dev.pledge.core.PledgeException if the system refuses, naming why (never the password)
   */
  TargetLogin createLogin(String login, String databaseRole, Instant until);

  /**
   * Removes {@code login} and ends every session it has open; does nothing when it is already gone.
   *
   * @return whether the login existed
   */
  boolean dropLogin(String login);

  /** The logins on the system whose names start with {@link #loginPrefix()}. */
  List<String> logins();

  /**
   * The logins on the system, Pledge's or not, that hold complete administrative access (P21), such
   * as PostgreSQL superusers; an empty list when the system cannot say.
   */
  List<String> administrators();

  /**
   * PostgreSQL: a login role per grant with a random password, {@code VALID UNTIL} the grant's end,
   * member of the database role the policy's role maps to; dropping it terminates its sessions
   * ({@code pg_terminate_backend}).
   *
   * @param admin connections as a role that may create roles (CREATEROLE) and end sessions
   * @param name the target's name
   * @param loginPrefix the prefix of the logins it makes, such as {@code pledge_}
   */
  static AccessTarget postgres(DataSource admin, String name, String loginPrefix) {
    return new PostgresTarget(admin, name, loginPrefix);
  }

  /**
   * MariaDB or MySQL: a user per grant with a random password, given the database role the policy's
   * role maps to as its default role; dropping it kills its connections.
   *
   * @param admin connections as a user that may create users and grant roles
   * @param name the target's name
   * @param loginPrefix the prefix of the logins it makes, such as {@code pledge_}
   */
  static AccessTarget mariadb(DataSource admin, String name, String loginPrefix) {
    return new MariaDbTarget(admin, name, loginPrefix);
  }
}
