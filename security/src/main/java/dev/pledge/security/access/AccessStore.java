package dev.pledge.security.access;

import dev.pledge.security.access.internal.FileAccessStore;
import dev.pledge.security.access.internal.JdbcAccessStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where the {@link AccessBroker} keeps people, departures, requests and grants, so that a restart
 * forgets nothing and several brokers (nodes, command-line runs) share one state (P15-P19).
 *
 * <p>Every method is one atomic step on the stored state. The conditional ones ({@link #addPerson},
 * {@link #markDeparted}, {@link #decideRequest}, {@link #endGrant}, {@link #claimCleanup}) are what
 * lets several brokers race safely: exactly one caller sees {@code true}. Implementations must be
 * safe for concurrent use by threads and, for shared stores, by processes.
 *
 * <p>The embedded default is {@link #folder(Path)}; {@link #jdbc(DataSource)} shares the state
 * through PostgreSQL, MariaDB or H2.
 */
public interface AccessStore {

  /**
   * Enrols {@code person} at {@code at} unless the account was ever enrolled (P19: accounts are never
   * shared or reused).
   *
   * @return whether the person was added
   */
  boolean addPerson(Person person, Instant at);

  /** The person enrolled with {@code account}, here or departed. */
  Optional<EnrolledPerson> person(String account);

  /** Everyone ever enrolled, in order of enrolment. */
  List<EnrolledPerson> people();

  /**
   * Records that the person with {@code account} left at {@code at} (P18).
   *
   * @return whether this call recorded it (false when unknown or already departed)
   */
  boolean markDeparted(String account, Instant at);

  /** Adds a new request; its id must be new. */
  void addRequest(AccessRequest request);

  /** The request with {@code id}. */
  Optional<AccessRequest> request(String id);

  /** Every request, oldest first. */
  List<AccessRequest> requests();

  /**
   * Replaces a pending request by {@code decided} (same id, no longer pending).
   *
   * @return whether the request was still pending, so that this call decided it
   */
  boolean decideRequest(AccessRequest decided);

  /** Adds a new, active grant; its id must be new. */
  void addGrant(AccessGrant grant);

  /** The grant with {@code id}. */
  Optional<StoredGrant> grant(String id);

  /** Every grant, oldest first. */
  List<StoredGrant> grants();

  /**
   * Ends an active grant: {@code to} at {@code at} by {@code by}; {@code node} takes on removing its
   * logins from its targets.
   *
   * @return whether the grant was active, so that this call ended it (exactly one racing caller)
   */
  boolean endGrant(String id, GrantStatus to, Instant at, String by, String node);

  /**
   * Takes on removing the logins of an ended grant whose removal is unfinished and was last taken
   * on before {@code staleBefore} (its node died, or the target was unreachable).
   *
   * @return whether this call took it on
   */
  boolean claimCleanup(String id, String node, Instant now, Instant staleBefore);

  /** Records that every login of the ended grant {@code id} is gone from its targets. */
  void markCleaned(String id);

  /** A store in the folder {@code dir} (created when missing), shared by processes through file locks. */
  static AccessStore folder(Path dir) {
    return FileAccessStore.open(dir);
  }

  /** A store in the tables {@code pledge_access_*} of {@code dataSource}, created when missing. */
  static AccessStore jdbc(DataSource dataSource) {
    return JdbcAccessStore.create(dataSource, "pledge_access");
  }

  /**
   * A store in the tables {@code <prefix>_people}, {@code <prefix>_requests} and
   * {@code <prefix>_grants} of {@code dataSource}, created when missing.
   */
  static AccessStore jdbc(DataSource dataSource, String tablePrefix) {
    return JdbcAccessStore.create(dataSource, tablePrefix);
  }

  /** A store in memory, for tests and short-lived tools: a new process starts empty. */
  static AccessStore inMemory() {
    return FileAccessStore.inMemory();
  }
}
