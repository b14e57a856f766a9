package dev.pledge.core.audit;

import java.util.Objects;

/**
 * One {@link AuditRecord} as a tamper-evident chain stores it (P14, P20): its place in the chain,
 * the hash of the record before it, and its own hash, which is SHA-256 over the previous hash followed
 * by the record's canonical bytes (see {@link AuditChain#canonicalBytes}). Changing any field of any
 * record, or removing, inserting or moving one, breaks a link that {@link AuditVerifier} finds.
 * Immutable.
 *
 * @param seq the record's position in the chain, starting at 1 and without gaps
 * @param record the record itself
 * @param prev the previous record's hash, 64 lower-case hex digits (64 zeros before the first record)
 * @param hash this record's hash, 64 lower-case hex digits
 */
public record ChainedRecord(long seq, AuditRecord record, String prev, String hash) {

  /** Validates that every part is present and the sequence number is positive. */
  public ChainedRecord {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be 1 or more, got " + seq);
    }
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(prev, "prev");
    Objects.requireNonNull(hash, "hash");
  }

  /** Whether {@link #hash} is the hash of {@link #prev} and this record's content. */
  public boolean selfConsistent() {
    return AuditChain.hash(prev, seq, record).equals(hash);
  }
}
