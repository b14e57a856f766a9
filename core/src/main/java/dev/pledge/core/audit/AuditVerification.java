package dev.pledge.core.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What one verification pass over a trail found (P14, P20): intact, or the first thing wrong. Immutable.
 *
 * @param records how many records were checked and found in place
 * @param checkpoints how many checkpoints were checked against the chain
 * @param signaturesChecked whether checkpoint signatures were checked (a key was given)
 * @param finding the first problem, or null when the trail is intact
 */
public record AuditVerification(long records, long checkpoints, boolean signaturesChecked, Finding finding) {

  /** What happened to a trail. */
  public enum Tampering {
    /** A record's content was changed (with or without recomputing its hash), or it no longer parses. */
    EDITED,
    /** A record that is not part of the chain was added (a forged or copied one). */
    INSERTED,
    /** Records (or checkpoints) were removed from the middle of the trail. */
    DELETED,
    /** Records are no longer in chain order. */
    REORDERED,
    /** Records after the last one present were cut off, though a checkpoint covers them. */
    TRUNCATED,
    /** A checkpoint's signature does not verify with the key given. */
    BAD_SIGNATURE
  }

  /**
   * The first problem found.
   *
   * @param kind what happened
   * @param seq the first sequence number affected
   * @param message a sentence for people, naming records and checkpoints by sequence number
   */
  public record Finding(Tampering kind, long seq, String message) {
    /** Validates the parts. */
    public Finding {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Whether nothing was found wrong. */
  public boolean intact() {
    return finding == null;
  }

  /** The first problem, if any. */
  public Optional<Finding> findingIfAny() {
    return Optional.ofNullable(finding);
  }

  @Override
  public String toString() {
    return intact()
        ? "intact: " + records + " records, " + checkpoints + " checkpoints"
            + (signaturesChecked ? " (signatures verified)" : " (signatures not checked: no key)")
        : finding.kind() + " at seq " + finding.seq() + ": " + finding.message();
  }
}
