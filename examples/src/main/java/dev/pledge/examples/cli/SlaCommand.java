package dev.pledge.examples.cli;

import picocli.CommandLine.Command;

/** {@code pledge sla}: Classify support reports and compute response deadlines (P33-P38). */
@Command(name = "sla", mixinStandardHelpOptions = true,
    description = "Classify support reports and compute response deadlines (P33-P38).",
    subcommands = {})
final class SlaCommand implements Runnable {
  private final Io io;

  SlaCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("sla: a subcommand is required; see 'pledge sla --help'");
  }
}
