package dev.pledge.backup.store;

import java.util.ArrayList;
import java.util.List;

/**
 * How a store is protected (P10): a full backup must never be readable from the public internet.
 * Immutable.
 *
 * @param location the store
 * @param publicAccessBlocked whether every public-access block is on
 * @param defaultEncryption whether objects are encrypted at rest by default
 * @param versioning whether overwritten or deleted objects are kept
 * @param lifecycleRule whether a lifecycle rule (expiry, tiering) exists
 */
public record StorePosture(String location, boolean publicAccessBlocked, boolean defaultEncryption,
    boolean versioning, boolean lifecycleRule) {

  /** The requirements of {@code required} this posture does not meet, as readable sentences; empty when it meets all. */
  public List<String> failures(boolean needPublicBlock, boolean needEncryption, boolean needVersioning, boolean needLifecycle) {
    List<String> out = new ArrayList<>();
    if (needPublicBlock && !publicAccessBlocked) {
      out.add(location + ": public access is not blocked");
    }
    if (needEncryption && !defaultEncryption) {
      out.add(location + ": default encryption is off");
    }
    if (needVersioning && !versioning) {
      out.add(location + ": versioning is off");
    }
    if (needLifecycle && !lifecycleRule) {
      out.add(location + ": no lifecycle rule");
    }
    return out;
  }
}
