package dev.pledge.examples.cli;

import picocli.CommandLine.Command;

/** {@code pledge backup}: Encrypted backups: keygen, run, list, restore, verify (P6-P12). */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Encrypted backups: keygen, run, list, restore, verify (P6-P12).",
    subcommands = {})
final class BackupCommand implements Runnable {
  private final Io io;

  BackupCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("backup: a subcommand is required; see 'pledge backup --help'");
  }
}
