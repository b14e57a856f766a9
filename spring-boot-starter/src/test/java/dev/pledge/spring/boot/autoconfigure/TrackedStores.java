package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.BackupStoreProvider;
import dev.pledge.backup.store.FileStore;
import dev.pledge.security.ratelimit.LoginFailureStore;
import dev.pledge.security.store.StoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentHashMap.KeySetView;

/**
 * Stores that hold connections, plugged in through Pledge's own provider interfaces as an outside
 * system's artifact would be ({@code tracked://NAME} backup stores, {@code redis://tracked-NAME} login
 * stores): each remembers whether it is open, and refuses use once closed, so a test sees what a
 * Spring context closes. Backup stores keep their objects in a folder under the system's temporary
 * directory.
 */
final class TrackedStores {
  /** The names of the stores open now. */
  static final KeySetView<String, Boolean> OPEN = ConcurrentHashMap.newKeySet();
  /** The names of the stores closed, with how many times each was closed. */
  static final Map<String, Integer> CLOSED = new ConcurrentHashMap<>();

  private TrackedStores() {}

  private static void closed(String name) {
    OPEN.remove(name);
    CLOSED.merge(name, 1, Integer::sum);
  }

  private static void requireOpen(String name) throws IOException {
    if (!OPEN.contains(name)) {
      throw new IOException("store " + name + " is closed");
    }
  }

  /** Opens {@code tracked://NAME}. */
  public static final class Backups implements BackupStoreProvider {
    @Override
    public String scheme() {
      return "tracked";
    }

    @Override
    public void validate(String location) {
      if (!location.matches("tracked://[a-z0-9-]+")) {
        throw new IllegalArgumentException("tracked store must be tracked://NAME, got " + location);
      }
    }

    @Override
    public BackupStore open(String location) {
      validate(location);
      String name = location.substring("tracked://".length());
      OPEN.add(name);
      return new Store(location, name,
          FileStore.at(Path.of(System.getProperty("java.io.tmpdir"), "pledge-starter-tracked", name)));
    }
  }

  private record Store(String location, String name, FileStore files) implements BackupStore, AutoCloseable {
    @Override public PendingObject create(String key) throws IOException { requireOpen(name); return files.create(key); }
    @Override public void put(String key, byte[] bytes) throws IOException { requireOpen(name); files.put(key, bytes); }
    @Override public InputStream open(String key) throws IOException { requireOpen(name); return files.open(key); }
    @Override public List<String> list(String prefix) throws IOException { requireOpen(name); return files.list(prefix); }
    @Override public void delete(String key) throws IOException { requireOpen(name); files.delete(key); }
    @Override public int cleanUpIncomplete() throws IOException { requireOpen(name); return files.cleanUpIncomplete(); }
    @Override public void close() { closed(name); }
  }

  /** Opens {@code redis://tracked-NAME} login-failure stores (counting nothing: every read is clean). */
  public static final class Logins implements StoreProvider {
    @Override
    public boolean supports(String address) {
      return address.startsWith("redis://tracked-");
    }

    @Override
    public Optional<LoginFailureStore> loginFailureStore(String address) {
      String name = address.substring("redis://".length());
      OPEN.add(name);
      return Optional.of(new LoginFailureStore() {
        private final Counts none = new Counts(0, Duration.ZERO, 0, Duration.ZERO);

        @Override public Counts recordFailure(String account, String source, Duration forgetAfter) { return none; }
        @Override public Counts read(String account, String source) { return none; }
        @Override public Counts clear(String account, String source) { return none; }
        @Override public int clearAccount(String account) { return 0; }
        @Override public int clearSource(String source) { return 0; }
        @Override public void close() { closed(name); }
      });
    }
  }
}
