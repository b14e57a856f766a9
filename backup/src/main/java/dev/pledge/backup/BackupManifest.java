package dev.pledge.backup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pledge.core.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The record of one complete backup, stored as JSON beside its data and written last: a backup
 * without a manifest was never finished and is never listed (P8). Immutable.
 *
 * @param format the manifest format version, {@code 1}
 * @param id the backup's id, sortable by start time: {@code 20261101T063000Z-1a2b3c4d}
 * @param site the site the backup belongs to (P6)
 * @param environment the environment the backup belongs to (P6, P27)
 * @param sourceKind the source's kind: {@code dir}, {@code postgres}, {@code mysql}, ...
 * @param sourceDescription what was backed up, without credentials
 * @param startedAt when the backup started, from the engine's clock
 * @param finishedAt when the data was committed, from the engine's clock
 * @param plaintextBytes the size of the source's bytes before compression, in bytes
 * @param storedBytes the size of the stored (compressed, encrypted) object, in bytes
 * @param plaintextSha256 the SHA-256 of the source's bytes, lower-case hex
 * @param storedSha256 the SHA-256 of the stored object, lower-case hex
 * @param keyId the id of the master key that wrapped the data key
 * @param wrappedKey the data key wrapped by that master key, base64 (useless without it)
 * @param encryption the streaming AEAD, {@code AES256_GCM_HKDF_1MB}
 * @param compression the compression, {@code zstd-3}
 * @param dataObject the key of the data object in each location
 * @param locations every store holding the data object (P10)
 * @param parent the id of the backup this one depends on, or {@code null} for a full backup
 * @param segment for a log backup (a WAL segment, a binary log), the segment it holds (P9); {@code
 *     null} for other backups and in manifests written before the field existed, which then describe
 *     the segment only in {@code sourceDescription}. Added without changing {@code format}: older
 *     manifests read as before.
 * @param schedule the name of the schedule the backup ran for ({@code shop/production/every-PT5M},
 *     as {@link dev.pledge.backup.schedule.PolicySchedules} names them), so freshness is judged per
 *     schedule (P6, P7): a 5-minute log backup does not keep a daily schedule fresh. {@code null} for
 *     a backup run by hand, and in manifests written before the field existed; such a backup counts
 *     for every schedule of its site environment. Added as {@code segment} was, without changing
 *     {@code format}; being a member of the stored JSON, it is covered by the MAC like every other.
 *
 * <p>The stored JSON carries one more member, {@code mac}: an HMAC-SHA256 over every other member
 * (canonical JSON, members sorted by name), under a key derived with HKDF from the backup's data
 * key, so only a holder of the master key can make or check it. {@link BackupEngine#verify}, {@link
 * BackupEngine#restore} and {@link BackupEngine#listAuthenticated} check it before acting on any
 * field; {@link BackupEngine#list} and {@link BackupEngine#find} return fields as stored. It is not
 * a component of this record. Manifests written before it existed have none and are reported as
 * {@value VerificationResult#UNAUTHENTICATED_MANIFEST}.
 */
// A later release may add fields (as `segment` was added): this one reads such manifests, ignoring them.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(
    int format,
    String id,
    String site,
    String environment,
    String sourceKind,
    String sourceDescription,
    Instant startedAt,
    Instant finishedAt,
    long plaintextBytes,
    long storedBytes,
    String plaintextSha256,
    String storedSha256,
    String keyId,
    String wrappedKey,
    String encryption,
    String compression,
    String dataObject,
    List<String> locations,
    String parent,
    LogSegment segment,
    String schedule) {

  private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
  // the shape of dev.pledge.backup.schedule.Schedule#name
  private static final Pattern SCHEDULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}");

  /** Validates the manifest; a manifest read from a store that fails here is reported as corrupt. */
  public BackupManifest {
    if (format != 1) {
      throw new IllegalArgumentException("format: unsupported manifest format " + format);
    }
    requireId(id);
    Scope.of(site, environment);
    Objects.requireNonNull(sourceKind, "sourceKind");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    if (plaintextBytes < 0 || storedBytes < 0) {
      throw new IllegalArgumentException("sizes must not be negative, got " + plaintextBytes + "/" + storedBytes);
    }
    if (plaintextSha256 == null || !SHA.matcher(plaintextSha256).matches()) {
      throw new IllegalArgumentException("plaintextSha256 must be 64 hex digits, got '" + plaintextSha256 + "'");
    }
    if (storedSha256 == null || !SHA.matcher(storedSha256).matches()) {
      throw new IllegalArgumentException("storedSha256 must be 64 hex digits, got '" + storedSha256 + "'");
    }
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Objects.requireNonNull(dataObject, "dataObject");
    locations = List.copyOf(Objects.requireNonNull(locations, "locations"));
    if (parent != null) {
      requireId(parent);
    }
    if (schedule != null && !SCHEDULE.matcher(schedule).matches()) {
      throw new IllegalArgumentException("schedule must be a schedule name (1-100 letters, digits or . _ : / -), got '"
          + schedule + "'");
    }
  }

  /**
   * A manifest that names no schedule: the constructor of the twenty fields that came before
   * {@code schedule}, kept so code written against them still compiles.
   */
  public BackupManifest(int format, String id, String site, String environment, String sourceKind,
      String sourceDescription, Instant startedAt, Instant finishedAt, long plaintextBytes, long storedBytes,
      String plaintextSha256, String storedSha256, String keyId, String wrappedKey, String encryption,
      String compression, String dataObject, List<String> locations, String parent, LogSegment segment) {
    this(format, id, site, environment, sourceKind, sourceDescription, startedAt, finishedAt, plaintextBytes,
        storedBytes, plaintextSha256, storedSha256, keyId, wrappedKey, encryption, compression, dataObject,
        locations, parent, segment, null);
  }

  /**
   * A manifest without a log segment: the constructor of the nineteen fields that came before
   * {@code segment}, kept so code written against them still compiles.
   */
  public BackupManifest(int format, String id, String site, String environment, String sourceKind,
      String sourceDescription, Instant startedAt, Instant finishedAt, long plaintextBytes, long storedBytes,
      String plaintextSha256, String storedSha256, String keyId, String wrappedKey, String encryption,
      String compression, String dataObject, List<String> locations, String parent) {
    this(format, id, site, environment, sourceKind, sourceDescription, startedAt, finishedAt, plaintextBytes,
        storedBytes, plaintextSha256, storedSha256, keyId, wrappedKey, encryption, compression, dataObject,
        locations, parent, null, null);
  }

  /** Throws {@link IllegalArgumentException} naming {@code id} unless it is a backup id. */
  public static String requireId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("backup id must look like 20261101T063000Z-1a2b3c4d, got '" + id + "'");
    }
    return id;
  }

  /** The site and environment the backup belongs to. */
  @JsonIgnore
  public Scope scope() {
    return Scope.of(site, environment);
  }

  @Override
  public String toString() {
    return "BackupManifest[" + id + " " + site + "/" + environment + " " + sourceKind + " "
        + plaintextBytes + " B -> " + storedBytes + " B, key " + keyId + ", " + locations + "]";
  }
}
