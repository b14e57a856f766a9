package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.backup.store.BackupStore;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup stores the policy's {@code backups.locations} name, opened by the starter for the
 * backup health indicator and meters, and closed with the application context: every store that is
 * {@link AutoCloseable} (an S3 store's client, a provider's connections) is closed once, even when
 * another fails to close. A bean of its own so the context closes what the starter opened; the
 * application may use the same stores. Thread-safe.
 */
public final class PledgeBackupStores implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PledgeBackupStores.class);

  private final List<BackupStore> stores;
  private volatile boolean closed;

  /** Holds {@code stores}, which it closes when it is closed. */
  public PledgeBackupStores(List<? extends BackupStore> stores) {
    this.stores = List.copyOf(Objects.requireNonNull(stores, "stores"));
  }

  /** The stores, in the policy's order. */
  public List<BackupStore> stores() {
    return stores;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes every store that is {@link AutoCloseable}; a store that fails to close is logged (its
   * location, never a credential) and the others are still closed. Idempotent; throws nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (BackupStore store : stores) {
      if (store instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing backup store {} failed: {}", store.location(), e.toString());
        }
      }
    }
  }
}
