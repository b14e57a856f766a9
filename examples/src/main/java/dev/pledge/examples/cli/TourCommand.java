package dev.pledge.examples.cli;

import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyWarning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge tour}: the main job on embedded defaults. It walks through the primitives on the
 * bundled policy with no outside service and says what each step proved. Each module's issue adds
 * its steps as the primitive lands.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
    description = "Walk through every primitive on the bundled policy, with no outside service.")
final class TourCommand implements Callable<Integer> {
  private final Io io;

  @Mixin
  CommonOptions options;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "pledge-tour",
      description = "Working folder, recreated on each run (default: ${DEFAULT-VALUE}).")
  Path dir;

  TourCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    recreate(dir);
    PolicyDocument policy = options.loadPolicy();
    io.out().println("Pledge tour, working in " + dir.toAbsolutePath());
    io.out().println();
    io.out().println("[policy] " + policy.source() + " loaded strictly: " + policy.sectionNames().size()
        + " sections bound (" + String.join(", ", policy.sectionNames()) + ")");
    for (PolicyWarning w : policy.warnings()) {
      io.out().println("[policy]   warning: " + w);
    }
    policy.section(OrganisationPolicy.class).ifPresent(o -> io.out().println("[policy] "
        + o.name() + ": " + o.scopes().size() + " site environments " + o.scopes()
        + " each get their own backups and reports (P6)"));
    policy.section(HostingPolicy.class).ifPresent(h -> io.out().println("[policy] data may live only in "
        + h.regions() + (h.tlsOnly() ? ", over TLS only" : "") + " (P1, P22)"));
    return PledgeCli.OK;
  }

  static void recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
