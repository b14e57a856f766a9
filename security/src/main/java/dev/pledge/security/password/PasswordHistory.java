package dev.pledge.security.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The last N password hashes of an account, newest first (P25). Immutable and thread-safe; it holds
 * hashes only, never passwords.
 *
 * @param depth how many hashes are kept
 * @param hashes the hashes, newest first, at most {@code depth}
 */
public record PasswordHistory(int depth, List<String> hashes) {

  /** Validates and trims to {@code depth}. */
  public PasswordHistory {
    if (depth < 0 || depth > 24) {
      throw new IllegalArgumentException("depth must be between 0 and 24, got " + depth);
    }
    hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes").subList(0, Math.min(depth, hashes.size())));
  }

  /** An empty history keeping {@code depth} hashes. */
  public static PasswordHistory empty(int depth) {
    return new PasswordHistory(depth, List.of());
  }

  /** A history with {@code hash} added as the newest; the oldest falls off beyond the depth. */
  public PasswordHistory add(String hash) {
    List<String> all = new ArrayList<>(hashes.size() + 1);
    all.add(Objects.requireNonNull(hash, "hash"));
    all.addAll(hashes);
    return new PasswordHistory(depth, all);
  }

  /** Whether {@code password} matches any kept hash, verified with {@code hasher}. */
  public boolean contains(CharSequence password, PasswordHasher hasher) {
    for (String h : hashes) {
      if (hasher.verify(password, h)) {
        return true;
      }
    }
    return false;
  }
}
