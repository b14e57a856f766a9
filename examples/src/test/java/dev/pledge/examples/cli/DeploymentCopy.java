package dev.pledge.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of a tour's deployment (its folder tree), for tests that damage it without touching the original. */
final class DeploymentCopy {
  private DeploymentCopy() {}

  /** Copies the tree under {@code from} to {@code to} and returns {@code to}. */
  static Path of(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }
}
