package dev.pledge.examples.cli;

import picocli.CommandLine.Command;

/** {@code pledge uptime}: Monthly uptime reports (P2, P3, P39). */
@Command(name = "uptime", mixinStandardHelpOptions = true,
    description = "Monthly uptime reports (P2, P3, P39).",
    subcommands = {})
final class UptimeCommand implements Runnable {
  private final Io io;

  UptimeCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("uptime: a subcommand is required; see 'pledge uptime --help'");
  }
}
