package dev.pledge.security.apikey;

import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys for a host's external API, and their revocation and regeneration after a breach (P29).
 *
 * <p>A key reads {@code PREFIX_ID_SECRET}: a prefix that secret scanners can match (default
 * {@code pk}), a public id of 12 hex digits used to find the key, and 32 random characters (about 190
 * bits). Only the SHA-256 of the secret part is stored: a fast hash suffices because the secret is
 * random and long, not a password. {@link #verify} compares hashes in constant time and does the same
 * work for an unknown id, so timing tells nothing about which ids exist. Every issue and revocation
 * is audited; keys never reach a log line or {@code toString()}.
 *
 * <p>Thread-safe.
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,15}");
  private static final byte[] DUMMY = new byte[32];

  private final ApiKeyStore store;
  private final String prefix;
  private final Clock clock;
  private final AuditTrail audit;
  private final Pattern shape;

  private ApiKeys(ApiKeyStore store, String prefix, Clock clock, AuditTrail audit) {
    this.store = store;
    this.prefix = prefix;
    this.clock = clock;
    this.audit = audit;
    this.shape = Pattern.compile(Pattern.quote(prefix) + "_([0-9a-f]{12})_([A-Za-z0-9]{32})");
  }

  /** A builder of keys kept in {@code store}. */
  public static Builder builder(ApiKeyStore store) {
    return new Builder(store);
  }

  /** Issues a new key to {@code owner}; the returned text is shown once and kept nowhere. */
  public IssuedKey issue(String owner, String label) {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("an API key needs an owner");
    }
    byte[] idBytes = new byte[6];
    RANDOM.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    char[] secret = new char[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    String text = prefix + "_" + id + "_" + new String(secret);
    ApiKey key = new ApiKey(id, owner, Objects.requireNonNullElse(label, "issued"),
        HexFormat.of().formatHex(sha256(new String(secret).getBytes(StandardCharsets.US_ASCII))), now(), null, null);
    Arrays.fill(secret, '\0');
    store.insert(key);
    audit("apikey.issue", key.id(), AuditOutcome.SUCCESS, Map.of("owner", owner, "label", key.label()));
    return new IssuedKey(key, Secret.ofUtf8(text));
  }

  /**
   * The active key that {@code presented} is, if it is one. Malformed, unknown, revoked and wrong
   * keys all answer empty; the hash comparison is constant-time.
   */
  public Optional<ApiKey> verify(CharSequence presented) {
    if (presented == null) {
      return Optional.empty();
    }
    java.util.regex.Matcher m = shape.matcher(presented);
    if (!m.matches()) {
      return Optional.empty();
    }
    byte[] given = sha256(m.group(2).getBytes(StandardCharsets.US_ASCII));
    Optional<ApiKey> key = store.find(m.group(1));
    byte[] expected = key.map(k -> HexFormat.of().parseHex(k.hash())).orElse(DUMMY);
    boolean same = MessageDigest.isEqual(given, expected);
    return same && key.isPresent() && key.get().active() ? key : Optional.empty();
  }

  /** Revokes one key; audited. Returns whether this call revoked it. */
  public boolean revoke(String id, String reason) {
    boolean done = store.revoke(id, now(), reason);
    if (done) {
      audit("apikey.revoke", id, AuditOutcome.SUCCESS, Map.of("reason", reason));
    }
    return done;
  }

  /** Every key, active or revoked, oldest first. */
  public List<ApiKey> keys() {
    return store.all();
  }

  /** The active keys of {@code owner}. */
  public List<ApiKey> activeKeys(String owner) {
    List<ApiKey> out = new ArrayList<>();
    for (ApiKey k : store.all()) {
      if (k.owner().equals(owner) && k.active()) {
        out.add(k);
      }
    }
    return out;
  }

  private void audit(String action, String resource, AuditOutcome outcome, Map<String, String> details) {
    audit.record(new AuditRecord(now(), "apikeys", action, resource, outcome, null, details));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** A builder holding every setting of these keys (store, prefix, clock, audit trail), to change one. */
  public Builder toBuilder() {
    return builder(store).prefix(prefix).clock(clock).audit(audit);
  }

  /** Builds {@link ApiKeys}. Not thread-safe. */
  public static final class Builder {
    private final ApiKeyStore store;
    private String prefix = "pk";
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit;

    private Builder(ApiKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The keys' prefix: lower-case letters and digits, at most 16 (default {@code pk}). */
    public Builder prefix(String prefix) {
      if (prefix == null || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("prefix must be 1-16 lower-case letters and digits, got '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where issues and revocations are recorded; required. Normally the policy's trail; {@code
     * AuditTrail.inMemory()} or {@code AuditTrail.discarding()} only when the caller means it.
     */
    public Builder audit(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /**
     * The keys.
     *
     * @throws IllegalStateException when no audit trail was set
     */
    public ApiKeys build() {
      if (audit == null) {
        throw new IllegalStateException("API keys have no audit trail: set audit(...) to the policy's trail "
            + "(AuditTrail.from(policy's audit section)), or name AuditTrail.inMemory() or AuditTrail.discarding() "
            + "explicitly");
      }
      return new ApiKeys(store, prefix, clock, audit);
    }
  }
}
