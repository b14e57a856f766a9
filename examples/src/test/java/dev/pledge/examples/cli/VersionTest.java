package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pledge --version} prints the release the build made, never a placeholder. */
class VersionTest {
  @Test
  void versionPrintsTheBuildsReleaseNumber() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).matches("pledge \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
