package dev.pledge.examples.cli;

import picocli.CommandLine.Command;

/** {@code pledge retention}: Plan which backups to keep, archive to Glacier or delete (P9, P11, P12). */
@Command(name = "retention", mixinStandardHelpOptions = true,
    description = "Plan which backups to keep, archive to Glacier or delete (P9, P11, P12).",
    subcommands = {})
final class RetentionCommand implements Runnable {
  private final Io io;

  RetentionCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("retention: a subcommand is required; see 'pledge retention --help'");
  }
}
