package dev.pledge.core.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code hosting} section: where data may live (P1) and how it travels (P22). Immutable.
 *
 * <pre>{@code
 * hosting:
 *   regions: [eu-west-2, eu-west-1]   # London, Dublin; nothing is stored elsewhere
 *   replicateAcrossZones: true
 *   tlsOnly: true
 * }</pre>
 *
 * @param regions the cloud regions data may be stored in; at least one
 * @param replicateAcrossZones whether data is replicated across availability zones
 * @param tlsOnly whether every request must travel over TLS (P22)
 */
public record HostingPolicy(List<String> regions, Boolean replicateAcrossZones, Boolean tlsOnly) {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  /** Validates the section and applies defaults: {@code [eu-west-2, eu-west-1]}, true, true. */
  public HostingPolicy {
    regions = regions == null ? List.of("eu-west-2", "eu-west-1") : List.copyOf(regions);
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("regions must list at least one region");
    }
    for (String r : regions) {
      if (!REGION.matcher(r).matches()) {
        throw new IllegalArgumentException("regions: '" + r + "' is not a region code such as eu-west-2");
      }
    }
    replicateAcrossZones = replicateAcrossZones == null || replicateAcrossZones;
    tlsOnly = tlsOnly == null || tlsOnly;
  }

  /** The defaults: London and Dublin, replicated across zones, TLS only. */
  public static HostingPolicy defaults() {
    return new HostingPolicy(null, null, null);
  }

  /** Whether data may be stored in {@code region}. */
  public boolean allows(String region) {
    return regions.contains(region);
  }
}
