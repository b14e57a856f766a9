package dev.pledge.examples.spring;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * The sample's accounts: user name to stored password hash ({@code {bcrypt}$2b$12$...}), in memory. A
 * real service keeps them in its database; only the hash is ever stored. Thread-safe.
 */
@Component
public class AccountStore {
  private final ConcurrentMap<String, String> hashes = new ConcurrentHashMap<>();

  /** Stores {@code hash} for {@code username}; {@code false} when the name is taken. */
  public boolean create(String username, String hash) {
    return hashes.putIfAbsent(username, hash) == null;
  }

  /** The stored hash of {@code username}. */
  public Optional<String> hash(String username) {
    return Optional.ofNullable(hashes.get(username));
  }
}
