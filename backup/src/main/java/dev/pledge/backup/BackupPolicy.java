package dev.pledge.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.backup.store.Stores;
import dev.pledge.core.Environment;
import dev.pledge.core.SiteId;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The {@code backups} section of the policy document (P6-P10, P27). Immutable; defaults are applied
 * for absent keys.
 *
 * <pre>{@code
 * backups:
 *   locations: [file:/var/backups/pledge, "s3://zaltek-backups/pledge?region=eu-west-2"]
 *   minimumLocations: 2                  # P10: several locations
 *   key: {kind: LOCAL, file: /etc/pledge/backup.key}   # or {kind: KMS, kmsKeyId: alias/backups, region: eu-west-2}
 *   compressionLevel: 3
 *   maskProductionRestores: true         # P27
 *   posture: {publicAccessBlocked: true, defaultEncryption: true, versioning: true, lifecycleRule: true}
 *   sources:
 *     - {site: shop, environment: production, source: "postgres:postgresql://backup@db:5432/shop"}
 *   schedules:                           # read and validated; run by the scheduler
 *     - {site: shop, environment: production, daily: {at: "02:00", zone: Europe/London}}
 *     - {site: shop, environment: production, every: 5m, missedRun: SKIP}
 *     - {site: shop, environment: staging, cron: "30 3 * * 1", zone: Europe/London}
 * }</pre>
 *
 * @param locations the stores every backup is written to
 * @param minimumLocations how many locations a backup needs (P10); default 2
 * @param key how data keys are wrapped
 * @param compressionLevel the zstd level 1..19; default 3
 * @param maskProductionRestores whether a production backup needs a masking transform to be restored elsewhere (P27); default true
 * @param posture what each S3 location must show (P10)
 * @param sources what is backed up, per site and environment (P6)
 * @param schedules when backups run (P6, P7); validated here, executed by the scheduler
 */
public record BackupPolicy(
    List<String> locations,
    Integer minimumLocations,
    KeySettings key,
    Integer compressionLevel,
    Boolean maskProductionRestores,
    Posture posture,
    List<SourceEntry> sources,
    List<ScheduleEntry> schedules) {

  /** Validates the section and applies defaults. */
  public BackupPolicy {
    locations = locations == null ? List.of("file:backups") : List.copyOf(locations);
    for (int i = 0; i < locations.size(); i++) {
      try {
        Stores.validate(locations.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("locations[" + i + "]: " + e.getMessage());
      }
    }
    minimumLocations = minimumLocations == null ? 2 : minimumLocations;
    if (minimumLocations < 1) {
      throw new IllegalArgumentException("minimumLocations must be at least 1, got " + minimumLocations);
    }
    key = key == null ? new KeySettings(null, null, null, null) : key;
    compressionLevel = compressionLevel == null ? 3 : compressionLevel;
    if (compressionLevel < 1 || compressionLevel > 19) {
      throw new IllegalArgumentException("compressionLevel must be 1..19, got " + compressionLevel);
    }
    maskProductionRestores = maskProductionRestores == null || maskProductionRestores;
    posture = posture == null ? new Posture(null, null, null, null) : posture;
    sources = sources == null ? List.of() : List.copyOf(sources);
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
  }

  /** The defaults: one local location, local master key, zstd 3, masking required. */
  public static BackupPolicy defaults() {
    return new BackupPolicy(null, null, null, null, null, null, null, null);
  }

  /** How data keys are wrapped: {@code LOCAL} (a master key file) or {@code KMS}. */
  public enum KeyKind {
    /** A local master key file ({@code pledge backup keygen}). */
    LOCAL,
    /** A key in AWS KMS. */
    KMS
  }

  /**
   * The key wrapper settings.
   *
   * @param kind LOCAL (default) or KMS
   * @param file the master key file for LOCAL; default {@code backup.key}
   * @param kmsKeyId the KMS key id, ARN or alias for KMS
   * @param region the KMS region for KMS
   */
  public record KeySettings(KeyKind kind, String file, String kmsKeyId, String region) {
    /** Validates the settings. */
    public KeySettings {
      kind = kind == null ? KeyKind.LOCAL : kind;
      if (kind == KeyKind.LOCAL) {
        file = file == null ? "backup.key" : file;
        if (kmsKeyId != null) {
          throw new IllegalArgumentException("kmsKeyId is only for kind KMS, got '" + kmsKeyId + "' with kind LOCAL");
        }
      } else {
        if (kmsKeyId == null || kmsKeyId.isBlank()) {
          throw new IllegalArgumentException("kmsKeyId is required for kind KMS");
        }
        if (region == null) {
          throw new IllegalArgumentException("region is required for kind KMS");
        }
      }
    }

    /**
     * The key wrapper these settings select: the master key {@code file} (resolved against {@code
     * baseDirectory} when relative) for LOCAL, or the KMS key {@code kmsKeyId} in {@code region} with
     * the default AWS credential chain for KMS (which needs {@code pledge-backup-s3}). Nothing is sent to KMS until a key is wrapped.
     *
     * @throws dev.pledge.backup.crypto.KeyWrapException when the local key file is missing or not a master key
     */
    public dev.pledge.backup.crypto.KeyWrapper keyWrapper(java.nio.file.Path baseDirectory) {
      if (kind == KeyKind.KMS) {
        for (dev.pledge.backup.crypto.KeyServiceProvider p : java.util.ServiceLoader.load(
            dev.pledge.backup.crypto.KeyServiceProvider.class, KeySettings.class.getClassLoader())) {
          if (p.kind().equals(kind.name())) {
            return p.create(region, kmsKeyId);
          }
        }
        throw new IllegalStateException("backups.key.kind " + kind + " needs the pledge-backup-s3 artifact");
      }
      return dev.pledge.backup.crypto.LocalKeyWrapper.load(baseDirectory.resolve(file));
    }
  }

  /**
   * What every S3 location must show (P10); each default true.
   *
   * @param publicAccessBlocked public access is blocked
   * @param defaultEncryption default encryption at rest is on
   * @param versioning versioning is on
   * @param lifecycleRule a lifecycle rule exists
   */
  public record Posture(Boolean publicAccessBlocked, Boolean defaultEncryption, Boolean versioning, Boolean lifecycleRule) {
    /** Applies defaults. */
    public Posture {
      publicAccessBlocked = publicAccessBlocked == null || publicAccessBlocked;
      defaultEncryption = defaultEncryption == null || defaultEncryption;
      versioning = versioning == null || versioning;
      lifecycleRule = lifecycleRule == null || lifecycleRule;
    }
  }

  /**
   * One thing to back up.
   *
   * @param site the site (P6)
   * @param environment the environment (P6)
   * @param source {@code dir:/path}, {@code postgres:postgresql://...}, {@code mysql:mysql://...}
   */
  public record SourceEntry(@JsonProperty(required = true) SiteId site,
      @JsonProperty(required = true) Environment environment,
      @JsonProperty(required = true) String source) {
    /** Validates the entry. */
    public SourceEntry {
      if (!(source.startsWith("dir:") || source.startsWith("postgres:") || source.startsWith("mysql:"))) {
        throw new IllegalArgumentException("source must start with dir:, postgres: or mysql:, got '"
            + dev.pledge.core.internal.Redaction.location(source) + "'");
      }
      if (source.matches("^[a-z]+:[a-z]+://[^/@]*:[^/@]*@.*")) {
        throw new IllegalArgumentException("source must not hold a password (use PGPASSWORD / MYSQL_PWD), got a URL with user:password");
      }
    }
  }

  /**
   * A daily time in a named zone.
   *
   * @param at the local time, {@code 02:00}
   * @param zone the zone, {@code Europe/London}
   */
  public record Daily(@JsonProperty(required = true) String at, String zone) {
    /** Validates the time and zone. */
    public Daily {
      try {
        LocalTime.parse(at);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("at must be a time such as 02:00, got '" + at + "'");
      }
      zone = zone == null ? "UTC" : zone;
      try {
        ZoneId.of(zone);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("zone must be a zone such as Europe/London, got '" + zone + "'");
      }
    }

    /** The local time. */
    public LocalTime time() {
      return LocalTime.parse(at);
    }
  }

  /**
   * When backups of one site and environment run: exactly one of {@code every}, {@code daily}, {@code cron}.
   *
   * @param site the site
   * @param environment the environment
   * @param every a fixed interval, such as {@code 5m} (P7)
   * @param daily a daily time in a zone (P6)
   * @param cron a Unix cron expression (five fields), read in {@code zone}
   * @param zone the zone a {@code cron} expression is read in, as {@code daily} has its own; default
   *     {@code UTC}; only with {@code cron}
   * @param missedRun what to do about missed runs and the first start; default RUN_ONCE (see
   *     {@link dev.pledge.backup.schedule.MissedRun})
   */
  public record ScheduleEntry(@JsonProperty(required = true) SiteId site,
      @JsonProperty(required = true) Environment environment,
      Duration every, Daily daily, String cron, String zone, dev.pledge.backup.schedule.MissedRun missedRun) {
    /** Validates the entry. */
    public ScheduleEntry {
      int given = (every == null ? 0 : 1) + (daily == null ? 0 : 1) + (cron == null ? 0 : 1);
      if (given != 1) {
        throw new IllegalArgumentException("a schedule needs exactly one of every, daily, cron; got " + given);
      }
      if (cron != null) {
        try {
          new com.cronutils.parser.CronParser(com.cronutils.model.definition.CronDefinitionBuilder
              .instanceDefinitionFor(com.cronutils.model.CronType.UNIX)).parse(cron).validate();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("cron '" + cron + "' is not a five-field Unix cron expression: " + e.getMessage());
        }
      }
      if (zone != null) {
        if (cron == null) {
          throw new IllegalArgumentException("zone applies to cron only; "
              + (daily != null ? "give daily its own zone: daily: {at: ..., zone: " + zone + "}"
                  : "every is not read in a zone") + ", got zone '" + zone + "'");
        }
        try {
          ZoneId.of(zone);
        } catch (DateTimeException e) {
          throw new IllegalArgumentException("zone must be a zone such as Europe/London, got '" + zone + "'");
        }
      } else if (cron != null) {
        zone = "UTC";
      }
      missedRun = missedRun == null ? dev.pledge.backup.schedule.MissedRun.RUN_ONCE : missedRun;
    }
  }
}
