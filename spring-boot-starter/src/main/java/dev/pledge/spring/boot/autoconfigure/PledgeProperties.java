package dev.pledge.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code pledge.*} settings of a Spring Boot application. The policy itself (limits, password rules,
 * rotations) stays in the policy document; these settings only say where the document is and how the
 * application's HTTP layer uses it. Mutable JavaBean for Spring's binder; read once at start-up.
 */
@ConfigurationProperties(prefix = "pledge")
public class PledgeProperties {

  /**
   * Where the policy document is: {@code classpath:policy.yaml}, a {@code file:} URL, or a file path
   * (relative to the working directory). JSON when it ends in {@code .json}, YAML otherwise.
   */
  private String policy = "classpath:policy.yaml";

  private final RateLimit rateLimit = new RateLimit();
  private final Passwords passwords = new Passwords();
  private final Health health = new Health();
  private final Backup backup = new Backup();
  private final Access access = new Access();

  /** Where the policy document is. */
  public String getPolicy() {
    return policy;
  }

  /** Sets where the policy document is. */
  public void setPolicy(String policy) {
    this.policy = policy;
  }

  /** The rate-limit filter's settings. */
  public RateLimit getRateLimit() {
    return rateLimit;
  }

  /** The password settings that do not belong in the policy document. */
  public Passwords getPasswords() {
    return passwords;
  }

  /** The health indicators' settings. */
  public Health getHealth() {
    return health;
  }

  /** {@code pledge.backup.*}. */
  public Backup getBackup() {
    return backup;
  }

  /** {@code pledge.access.*}. */
  public Access getAccess() {
    return access;
  }

  /** {@code pledge.access.*}: how the application's access broker is run. */
  public static class Access {
    private final Expiry expiry = new Expiry();

    /** {@code pledge.access.expiry.*}. */
    public Expiry getExpiry() {
      return expiry;
    }

    /**
     * {@code pledge.access.expiry.*}: the sweep that ends grants past their end (P15, P17), run when the
     * application has an {@code AccessBroker} bean and a lock.
     */
    public static class Expiry {
      /** Whether the sweeper runs when the application has an access broker and a lock (default true). */
      private boolean enabled = true;

      /**
       * The table of the lock the nodes share on the application's {@code DataSource} (a plain SQL
       * identifier, created when missing), when the application declares no {@code SlotLock} bean.
       * Unset: no lock from the starter, and so no sweeper unless the application declares a lock; never
       * an in-memory one.
       */
      private String lockTable;

      /** The length of a sweep slot: a grant ends at most this long after its end (default 1 minute). */
      private Duration period = Duration.ofMinutes(1);

      /** This node's name in the lock (default: random, {@code node-} and 12 hex digits). */
      private String node;

      /** Whether the sweeper runs. */
      public boolean isEnabled() {
        return enabled;
      }

      /** Sets whether the sweeper runs. */
      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      /** The lock's table, or {@code null}. */
      public String getLockTable() {
        return lockTable;
      }

      /** Sets the lock's table. */
      public void setLockTable(String lockTable) {
        this.lockTable = lockTable;
      }

      /** The length of a sweep slot. */
      public Duration getPeriod() {
        return period;
      }

      /** Sets the length of a sweep slot. */
      public void setPeriod(Duration period) {
        this.period = period;
      }

      /** This node's name in the lock, or {@code null} for a random one. */
      public String getNode() {
        return node;
      }

      /** Sets this node's name in the lock. */
      public void setNode(String node) {
        this.node = node;
      }
    }
  }

  /** {@code pledge.rate-limit.*}: which requests the servlet filter limits, and with which policy limit (P13). */
  public static class RateLimit {
    /** Whether the filter is registered at all (it also needs {@code paths}). */
    private boolean enabled = true;

    /**
     * Path patterns (Spring {@code PathPattern} syntax, such as {@code /api/**}) of the requests to limit,
     * relative to the context path. Empty: no filter.
     */
    private List<String> paths = new ArrayList<>();

    /** The name of the limit in the policy's {@code rateLimits.limits} that every matched client gets. */
    private String limit = "api";

    /**
     * The filter's order. The default runs just after Spring Security's filter chain (order -100), so an
     * authenticated client is limited by its principal; a lower value limits before authentication.
     */
    private int filterOrder = -90;

    /** The most clients whose state is held at once (see {@code KeyedRateLimiter.Builder#maximumKeys}). */
    private long maximumClients = 1_000_000;

    /** Whether the filter is registered. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the filter is registered. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The path patterns limited. */
    public List<String> getPaths() {
      return paths;
    }

    /** Sets the path patterns limited. */
    public void setPaths(List<String> paths) {
      this.paths = paths;
    }

    /** The policy limit's name. */
    public String getLimit() {
      return limit;
    }

    /** Sets the policy limit's name. */
    public void setLimit(String limit) {
      this.limit = limit;
    }

    /** The filter's order. */
    public int getFilterOrder() {
      return filterOrder;
    }

    /** Sets the filter's order. */
    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }

    /** The most clients held at once per limit. */
    public long getMaximumClients() {
      return maximumClients;
    }

    /** Sets the most clients held at once per limit. */
    public void setMaximumClients(long maximumClients) {
      this.maximumClients = maximumClients;
    }
  }

  /** {@code pledge.passwords.*}: secrets that must stay out of the policy document. */
  public static class Passwords {
    /**
     * The pepper (at least 32 bytes of UTF-8) for {@code hashing.longPasswords: PREHASH}; keep it outside
     * the database, for instance in an environment variable. Not needed otherwise.
     */
    private String pepper;

    /** The pepper, or {@code null}. */
    public String getPepper() {
      return pepper;
    }

    /** Sets the pepper. */
    public void setPepper(String pepper) {
      this.pepper = pepper;
    }

    @Override
    public String toString() {
      return "Passwords[pepper=" + (pepper == null ? "none" : "***") + "]";
    }
  }

  /** {@code pledge.backup.*}: how the starter reads the stores of the policy's {@code backups} section. */
  public static class Backup {
    /**
     * The folder the policy's relative paths ({@code backups.key.file}, {@code file:} locations) are
     * read from; by default the policy file's folder when {@code pledge.policy} is a file, else the
     * working directory.
     */
    private String baseDirectory;

    /** Whether to read the stores at all for the backup health indicator and meters (default true). */
    private boolean enabled = true;

    /** The folder relative paths are read from, or {@code null} for the default. */
    public String getBaseDirectory() {
      return baseDirectory;
    }

    /** Sets the folder relative paths are read from. */
    public void setBaseDirectory(String baseDirectory) {
      this.baseDirectory = baseDirectory;
    }

    /** Whether the stores are read. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the stores are read. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code pledge.health.*}. */
  public static class Health {
    /**
     * The health status the on-call indicator reports when the rotation leaves an out-of-hours gap or
     * puts a non-operations engineer on call within the policy's {@code coverWeeks} (P38). {@code DOWN}
     * by default; a custom status that is not in {@code management.endpoint.health.status.order} shows on
     * the component without pulling the application's aggregate status down.
     */
    private String onCallGapStatus = "DOWN";

    /**
     * The health status the uptime indicator reports when the application's {@code UptimeMonitor} holds a
     * probed site as down (P4); {@code DOWN} by default.
     */
    private String siteDownStatus = "DOWN";

    /**
     * The health status the backup indicator reports when a schedule's newest backup in the stores is
     * older than its interval plus {@code backup-tolerance}, or there is none (P6, P7); {@code DOWN} by
     * default.
     */
    private String backupStaleStatus = "DOWN";

    /** How much older than one schedule interval the newest backup may be (default 10 minutes). */
    private Duration backupTolerance = Duration.ofMinutes(10);

    /**
     * How long one reading of the backup stores is reused by the health indicator and the meters
     * (default 1 minute), so probes and scrapes do not list the stores each time.
     */
    private Duration backupCheckInterval = Duration.ofMinutes(1);

    /** The status reported when a backup schedule is stale. */
    public String getBackupStaleStatus() {
      return backupStaleStatus;
    }

    /** Sets the status reported when a backup schedule is stale. */
    public void setBackupStaleStatus(String backupStaleStatus) {
      this.backupStaleStatus = backupStaleStatus;
    }

    /** The tolerance beyond one schedule interval. */
    public Duration getBackupTolerance() {
      return backupTolerance;
    }

    /** Sets the tolerance beyond one schedule interval. */
    public void setBackupTolerance(Duration backupTolerance) {
      this.backupTolerance = backupTolerance;
    }

    /** How long one reading of the backup stores is reused. */
    public Duration getBackupCheckInterval() {
      return backupCheckInterval;
    }

    /** Sets how long one reading of the backup stores is reused. */
    public void setBackupCheckInterval(Duration backupCheckInterval) {
      this.backupCheckInterval = backupCheckInterval;
    }

    /** The status reported when a monitored site is down. */
    public String getSiteDownStatus() {
      return siteDownStatus;
    }

    /** Sets the status reported when a monitored site is down. */
    public void setSiteDownStatus(String siteDownStatus) {
      this.siteDownStatus = siteDownStatus;
    }

    /** The status reported for an on-call gap. */
    public String getOnCallGapStatus() {
      return onCallGapStatus;
    }

    /** Sets the status reported for an on-call gap. */
    public void setOnCallGapStatus(String onCallGapStatus) {
      this.onCallGapStatus = onCallGapStatus;
    }
  }
}
