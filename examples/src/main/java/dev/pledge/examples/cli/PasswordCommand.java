package dev.pledge.examples.cli;

import picocli.CommandLine.Command;

/** {@code pledge password}: Check, hash and verify passwords (P23-P26). */
@Command(name = "password", mixinStandardHelpOptions = true,
    description = "Check, hash and verify passwords (P23-P26).",
    subcommands = {})
final class PasswordCommand implements Runnable {
  private final Io io;

  PasswordCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("password: a subcommand is required; see 'pledge password --help'");
  }
}
