package dev.pledge.core.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens trails named as the policy and the command line name them (P14, P20): {@code file:PATH} or a
 * bare path for JSON Lines, {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...} or
 * {@code jdbc:h2:...} for SQL. Thread-safe (stateless).
 */
public final class AuditTrails {
  private AuditTrails() {}

  /** The store a trail name means, opened for appending. */
  public static AuditStore openStore(String trail, String table) {
    Objects.requireNonNull(trail, "trail");
    if (trail.startsWith("jdbc:")) {
      return JdbcAuditStore.create(trail, table);
    }
    return JsonLinesAuditStore.open(path(trail));
  }

  /**
   * The store a trail name means, for reading while writers may append (no lock, no repair).
   *
   * @throws dev.pledge.core.PledgeException when a file trail does not exist
   */
  public static AuditStore openForReading(String trail, String table) {
    Objects.requireNonNull(trail, "trail");
    if (trail.startsWith("jdbc:")) {
      return JdbcAuditStore.create(trail, table);
    }
    return JsonLinesAuditStore.openForReading(path(trail));
  }

  /**
   * A checkpoint publisher for {@code file:DIR} (or a bare folder), {@code jdbc:...}, or a place whose
   * scheme a {@link CheckpointPublisherProvider} on the class path or module path opens (such as
   * {@code s3://bucket/prefix?region=eu-west-2} with {@code pledge-backup-s3}).
   *
   * @throws IllegalArgumentException when the place names a scheme no provider opens
   */
  public static CheckpointPublisher publisher(String place, String table) {
    Objects.requireNonNull(place, "place");
    if (place.startsWith("jdbc:")) {
      return CheckpointPublisher.toTable(dev.pledge.core.jdbc.DataSources.fromUrl(place), table + "_published");
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z][a-z0-9+.-]*)://.*").matcher(place);
    if (m.matches()) {
      String scheme = m.group(1);
      for (CheckpointPublisherProvider p : java.util.ServiceLoader.load(CheckpointPublisherProvider.class,
          AuditTrails.class.getClassLoader())) {
        if (p.scheme().equals(scheme)) {
          return p.open(place);
        }
      }
      throw new IllegalArgumentException("checkpoints cannot be published to '"
          + dev.pledge.core.internal.Redaction.location(place) + "': use file:DIR, jdbc:..."
          + (scheme.equals("s3") ? " (s3:// needs the pledge-backup-s3 artifact)" : ""));
    }
    return CheckpointPublisher.toFolder(path(place));
  }

  /**
   * The trail {@code policy} describes. A key file named but missing is created with a new Ed25519
   * key pair (the writer holds it; give verifiers its public half).
   */
  static AuditTrail from(AuditPolicy policy, java.time.Clock clock) {
    if (policy.discards()) {
      return AuditTrail.discarding();
    }
    ChainedAuditTrail.Builder b = ChainedAuditTrail.builder(openStore(policy.store(), policy.table()))
        .checkpointEvery(policy.checkpointEvery()).checkpointInterval(policy.checkpointInterval())
        .durability(policy.durabilityMode()).clock(clock);
    if (policy.keyFile() != null) {
      Path kf = Path.of(policy.keyFile());
      if (!Files.exists(kf)) {
        CheckpointKey.generateEd25519().writeTo(kf);
      }
      b.key(CheckpointKey.load(kf));
    }
    if (policy.publishTo() != null) {
      b.publishTo(publisher(policy.publishTo(), policy.table()));
    }
    return b.build();
  }

  private static Path path(String trail) {
    String p = trail.startsWith("file:") ? trail.substring("file:".length()) : trail;
    if (p.isBlank()) {
      throw new IllegalArgumentException("trail '" + trail + "' names no file");
    }
    return Path.of(p);
  }
}
