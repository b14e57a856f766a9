package dev.pledge.examples.cli;

import picocli.CommandLine.Command;

/** {@code pledge totp}: TOTP two-factor secrets and codes (P26). */
@Command(name = "totp", mixinStandardHelpOptions = true,
    description = "TOTP two-factor secrets and codes (P26).",
    subcommands = {})
final class TotpCommand implements Runnable {
  private final Io io;

  TotpCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("totp: a subcommand is required; see 'pledge totp --help'");
  }
}
