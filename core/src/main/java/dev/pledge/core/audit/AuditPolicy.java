package dev.pledge.core.audit;

import java.time.Duration;
import dev.pledge.core.time.Durations;
import java.util.Locale;

/**
 * The {@code audit} section of the policy (P14, P20): where the trail lives, how often it is
 * checkpointed, with which key, and where checkpoints are copied. Immutable; bound strictly by the
 * policy loader; {@link AuditTrail#from(AuditPolicy)} builds the trail it describes.
 *
 * <pre>{@code
 * audit:
 *   store: file:/var/log/pledge/audit.jsonl     # or jdbc:postgresql://db/pledge?user=audit, or discard
 *   checkpointEvery: 1000                       # records
 *   checkpointInterval: 1m                      # or at the first write after this long
 *   keyFile: /etc/pledge/audit-checkpoint.key   # Ed25519 key pair, made on first use when missing
 *   publishTo: file:/mnt/other-disk/pledge-checkpoints
 *   durability: grouped                         # or per-record, or written 5ms (see below)
 * }</pre>
 *
 * <p>{@code durability: written 5ms} ({@link Durability#written}) acknowledges a record once it is
 * written to the operating system and forces it to disk in the background within the given delay: it
 * survives the process being killed, but <b>an operating system crash or a power loss can lose the
 * records of the last 5 ms</b> (see {@link Durability} for the exact bound). It is for a JSON Lines
 * trail only; with a {@code jdbc:} store the database commits each group, and the section is refused.
 * The policy loader warns about it ({@code audit-durability}), as P20 asks that nothing acknowledged
 * be lost.
 *
 * @param store {@code file:PATH} (or a bare path) for JSON Lines, {@code jdbc:...} for a SQL database,
 *     or {@code discard} for a trail that keeps nothing (only by name)
 * @param table the table prefix of a JDBC store (default {@code pledge_audit})
 * @param checkpointEvery a checkpoint at least every this many records (default 1000)
 * @param checkpointInterval and at the first write after this long since the last (default 1 minute)
 * @param keyFile the checkpoint key file (see {@link CheckpointKey}); without it, no checkpoints
 * @param publishTo a second place for checkpoints: {@code file:DIR}, {@code jdbc:...}, or
 *     {@code s3://bucket/prefix?region=...} with the {@code pledge-backup-s3} artifact; optional
 * @param durability {@code grouped} (group commit, the default), {@code per-record}, or
 *     {@code written DURATION} (written before {@code record} returns, forced within the duration)
 */
public record AuditPolicy(String store, String table, Integer checkpointEvery, Duration checkpointInterval,
    String keyFile, String publishTo, String durability) {

  /** Validates the section and applies the defaults. */
  public AuditPolicy {
    if (store == null || store.isBlank()) {
      throw new IllegalArgumentException("store must name the trail: file:PATH, jdbc:... or discard");
    }
    store = store.strip();
    table = table == null ? "pledge_audit" : table;
    if (!table.matches("[a-z][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException("table must be lower-case letters, digits and underscores, got '" + table
          + "'");
    }
    checkpointEvery = checkpointEvery == null ? 1000 : checkpointEvery;
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery must be at least 1 record, got " + checkpointEvery);
    }
    checkpointInterval = checkpointInterval == null ? Duration.ofMinutes(1) : checkpointInterval;
    durability = durability == null ? "grouped" : durability.strip().toLowerCase(Locale.ROOT);
    if (durability.equals("written") || durability.startsWith("written ")) {
      Duration delay = writtenDelay(durability);
      durability = "written " + Durations.format(delay);
      if (store.startsWith("jdbc:")) {
        throw new IllegalArgumentException("durability '" + durability + "' is for a JSON Lines trail (file:PATH):"
            + " a jdbc: store commits each group in the database; use grouped or per-record");
      }
    } else if (!durability.equals("grouped") && !durability.equals("per-record")) {
      throw new IllegalArgumentException("durability must be grouped, per-record or written DURATION (e.g. written"
          + " 5ms), got '" + durability + "'");
    }
    if (publishTo != null && publishTo.isBlank()) {
      throw new IllegalArgumentException("publishTo must name a folder (file:DIR), a database (jdbc:...) or a bucket (s3://...)");
    }
  }

  /** A section for {@code store} with every other setting at its default. */
  public static AuditPolicy of(String store) {
    return new AuditPolicy(store, null, null, null, null, null, null);
  }

  /** Whether the policy asks for no trail at all, by name. */
  public boolean discards() {
    return store.equalsIgnoreCase("discard");
  }

  /** The durability the section names. */
  public Durability durabilityMode() {
    if (durability.startsWith("written ")) {
      return Durability.written(writtenDelay(durability));
    }
    return durability.equals("per-record") ? Durability.perRecord() : Durability.grouped();
  }

  private static Duration writtenDelay(String durability) {
    String delay = durability.substring("written".length()).strip();
    if (delay.isEmpty()) {
      throw new IllegalArgumentException("durability 'written' needs the longest a written record may wait for its"
          + " force, e.g. 'written 5ms' (an OS crash or power loss can lose the records of that long)");
    }
    try {
      return Durations.parsePositive(delay);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("durability '" + durability + "': " + e.getMessage(), e);
    }
  }
}
