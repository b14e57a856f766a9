package dev.pledge.core.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed statement that the chain held {@code seq} records and that the last of them had hash
 * {@code hash} (P14, P20), like a CloudTrail digest file or a transparency log's signed tree head.
 * A trail writes one every N records, every T seconds and on close, and may publish each to a second
 * place, so cutting records off the end of the trail, or replacing the whole trail, is detected.
 * Each checkpoint names the previous one's sequence number, so removing checkpoints (even two in a
 * row) is detected too. Immutable.
 *
 * @param seq the sequence number of the last record covered
 * @param hash that record's hash
 * @param previous the sequence number of the previous checkpoint, 0 for the first
 * @param at when the checkpoint was made, by the writer's clock
 * @param algorithm {@code Ed25519} or {@code HmacSHA256}
 * @param keyId which key signed it, so a verifier can pick the right one
 * @param signature the signature over {@link #signedBytes()}, base64
 */
public record AuditCheckpoint(
    long seq, String hash, long previous, Instant at, String algorithm, String keyId, String signature) {

  /** Validates the checkpoint's shape (not its signature: that is {@link CheckpointKey#verifies}'s job). */
  public AuditCheckpoint {
    if (seq < 1 || previous < 0 || previous >= seq) {
      throw new IllegalArgumentException("checkpoint needs 0 <= previous < seq, got previous " + previous
          + " and seq " + seq);
    }
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
  }

  /** The bytes the signature covers: every field but the signature, in a fixed text form. */
  public byte[] signedBytes() {
    return signedBytes(seq, hash, previous, at, algorithm, keyId);
  }

  static byte[] signedBytes(long seq, String hash, long previous, Instant at, String algorithm, String keyId) {
    String s = "pledge-audit-checkpoint/1\n" + seq + "\n" + hash + "\n" + previous + "\n" + at + "\n" + algorithm
        + "\n" + keyId + "\n";
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
