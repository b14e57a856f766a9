package dev.pledge.security.apikey;

import dev.pledge.core.Secret;
import java.util.Objects;

/**
 * A key just issued: the only moment its full text exists outside its holder. {@link #toString()}
 * shows the id, never the key.
 *
 * @param key the stored key (id, owner, hash)
 * @param text the whole key to hand to its owner, such as {@code pk_1a2b3c4d5e6f_...}
 */
public record IssuedKey(ApiKey key, Secret text) {

  /** Validates. */
  public IssuedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return "IssuedKey[" + key.id() + ", " + key.owner() + ", key redacted]";
  }
}
