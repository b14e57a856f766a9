package dev.pledge.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

/**
 * The hash chain's rules, fixed so that any tool can recompute them (P14, P20).
 *
 * <p>A record's canonical bytes are the UTF-8 of one JSON object with no white space and its keys in
 * this order: {@code seq}, {@code at} (ISO-8601, UTC, at most microseconds), {@code actor},
 * {@code action}, {@code resource}, {@code outcome}, then {@code site} and {@code env} when the record
 * has a scope, then {@code details} (an object, keys in Java's {@code String} order, that is by UTF-16 code unit). Strings escape only
 * {@code "}, {@code \} and control characters (as {@code \}{@code u00XX}). Its hash is SHA-256 over
 * the 32 bytes of the previous record's hash (zeros before the first record) followed by those bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class AuditChain {
  /** The "previous hash" of the first record: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  });

  private AuditChain() {}

  /**
   * The record as the chain stores it: its instant cut to microseconds, the precision every store
   * (a JSON Lines file, a SQL {@code BIGINT} of microseconds) keeps exactly.
   */
  public static AuditRecord normalised(AuditRecord r) {
    java.time.Instant at = r.at().truncatedTo(ChronoUnit.MICROS);
    return at.equals(r.at()) ? r : new AuditRecord(at, r.actor(), r.action(), r.resource(), r.outcome(),
        r.scope(), r.details());
  }

  /** The canonical bytes of {@code record} at position {@code seq}, as described above. */
  public static byte[] canonicalBytes(long seq, AuditRecord record) {
    return canonicalJson(seq, record).getBytes(StandardCharsets.UTF_8);
  }

  /** The last canonical text made on each thread: a store writes the line of the record just hashed. */
  private static final class Last {
    long seq;
    AuditRecord record;
    String json;
  }

  private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

  /** The canonical JSON text of {@code record} at position {@code seq}. */
  public static String canonicalJson(long seq, AuditRecord r) {
    Last last = LAST.get();
    if (last.record == r && last.seq == seq) { // records are immutable: the same one gives the same text
      return last.json;
    }
    String json = makeCanonicalJson(seq, r);
    last.seq = seq;
    last.record = r;
    last.json = json;
    return json;
  }

  private static String makeCanonicalJson(long seq, AuditRecord r) {
    StringBuilder b = new StringBuilder(160);
    b.append("{\"seq\":").append(seq).append(",\"at\":");
    str(b, r.at().toString());
    b.append(",\"actor\":");
    str(b, r.actor());
    b.append(",\"action\":");
    str(b, r.action());
    b.append(",\"resource\":");
    str(b, r.resource());
    b.append(",\"outcome\":");
    str(b, r.outcome().name());
    if (r.scope() != null) {
      b.append(",\"site\":");
      str(b, r.scope().site().value());
      b.append(",\"env\":");
      str(b, r.scope().environment().name());
    }
    b.append(",\"details\":");
    details(b, r.details());
    return b.append('}').toString();
  }

  /** The details map in canonical form: a JSON object with keys in code-point order. */
  static String detailsJson(Map<String, String> details) {
    StringBuilder b = new StringBuilder();
    details(b, details);
    return b.toString();
  }

  private static void details(StringBuilder b, Map<String, String> details) {
    b.append('{');
    boolean first = true;
    // AuditRecord keeps details in a TreeMap: its order is the documented one
    for (Map.Entry<String, String> e : details.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      str(b, e.getKey());
      b.append(':');
      str(b, e.getValue());
    }
    b.append('}');
  }

  static void str(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  /** SHA-256 over {@code prev} (hex) and the canonical bytes of {@code record} at {@code seq}, as hex. */
  public static String hash(String prev, long seq, AuditRecord record) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(prevBytes(prev));
    md.update(canonicalBytes(seq, record));
    return HEX.formatHex(md.digest());
  }

  private static byte[] prevBytes(String prev) {
    if (prev.length() != 64) {
      return prev.getBytes(StandardCharsets.UTF_8); // a mangled link hashes to something that never matches
    }
    try {
      return HEX.parseHex(prev);
    } catch (IllegalArgumentException e) {
      return prev.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Links {@code record} after a record with hash {@code prev} at position {@code seq}. */
  public static ChainedRecord link(long seq, String prev, AuditRecord record) {
    AuditRecord r = normalised(record);
    return new ChainedRecord(seq, r, prev, hash(prev, seq, r));
  }
}
