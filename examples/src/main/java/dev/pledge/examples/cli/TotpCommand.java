package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.security.totp.OtpAuthUri;
import dev.pledge.security.totp.ReplayGuard;
import dev.pledge.security.totp.Totp;
import dev.pledge.security.totp.TotpAlgorithm;
import dev.pledge.security.totp.TotpConfig;
import dev.pledge.security.totp.TotpSecret;
import dev.pledge.security.totp.TwoFactorPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pledge totp}: TOTP two-factor secrets and codes (P26). */
@Command(name = "totp", mixinStandardHelpOptions = true,
    description = "TOTP two-factor secrets and codes (P26).",
    subcommands = {TotpCommand.Secret.class, TotpCommand.Code.class, TotpCommand.Verify.class})
final class TotpCommand implements Runnable {
  private final Io io;

  TotpCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("totp: a subcommand is required (secret, code, verify); see 'pledge totp --help'");
  }

  static TwoFactorPolicy section(CommonOptions options) {
    return options.loadPolicy().section(TwoFactorPolicy.class)
        .orElseGet(() -> new TwoFactorPolicy(null, null, null, null, null, null, null));
  }

  /** The options shared by {@code code} and {@code verify}. */
  static final class CodeOptions {
    @Option(names = "--secret-file", paramLabel = "F", description = "A file holding the base32 secret (default: stdin).")
    Path secretFile;

    @Option(names = "--at", paramLabel = "T", converter = CommonOptions.InstantConverter.class,
        description = "The ISO-8601 instant to use (default: --now, else the clock).")
    Instant at;

    @Option(names = "--algorithm", paramLabel = "SHA1|SHA256|SHA512", description = "Default: the policy's (SHA1).")
    TotpAlgorithm algorithm;

    @Option(names = "--digits", paramLabel = "6|8", description = "Default: the policy's (6).")
    Integer digits;

    @Option(names = "--period", paramLabel = "SECONDS", description = "Default: the policy's (30).")
    Integer period;

    TotpConfig config(TwoFactorPolicy s) {
      TotpConfig c = s.totpConfig();
      try {
        if (algorithm != null) {
          c = c.withAlgorithm(algorithm);
        }
        if (digits != null) {
          if (digits != 6 && digits != 8) {
            // authenticator apps show 6 or 8 digits (CLI.md); 7 would make codes no phone can enter
            throw CliException.badInput("--digits must be 6 or 8, got " + digits);
          }
          c = c.withDigits(digits);
        }
        if (period != null) {
          c = c.withPeriod(Duration.ofSeconds(period));
        }
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--" + e.getMessage());
      }
      return c;
    }

    TotpSecret secret(Io io) {
      String text;
      if (secretFile != null) {
        try {
          text = Files.readString(secretFile).strip();
        } catch (NoSuchFileException e) {
          throw CliException.badInput("--secret-file: no such file: " + secretFile);
        } catch (IOException e) {
          throw CliException.failure("--secret-file: cannot read " + secretFile + ": " + Io.problem(e));
        }
      } else {
        text = io.readLine();
        if (text == null) {
          throw CliException.badInput("no secret: give --secret-file or write the base32 secret on stdin");
        }
      }
      try {
        return TotpSecret.fromBase32(text);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput((secretFile != null ? "--secret-file " + secretFile + ": " : "stdin: ") + e.getMessage());
      }
    }

    Instant at(CommonOptions options) {
      return at != null ? at : options.clock().instant();
    }
  }

  /** {@code pledge totp secret}. */
  @Command(name = "secret", mixinStandardHelpOptions = true,
      description = "Print a new 160-bit base32 secret and its otpauth://totp/... URI.")
  static final class Secret implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Option(names = "--account", paramLabel = "NAME", defaultValue = "user",
        description = "The account shown by authenticator apps (default: ${DEFAULT-VALUE}).")
    String account;

    @Option(names = "--issuer", paramLabel = "NAME", description = "The issuer (default: the policy's twoFactor.issuer, else Pledge).")
    String issuer;

    Secret(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      TwoFactorPolicy s = section(options);
      TotpSecret secret = TotpSecret.generate();
      String iss = issuer != null ? issuer : s.issuer() != null ? s.issuer() : "Pledge";
      String uri = OtpAuthUri.of(secret, iss, account, s.totpConfig());
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("secret", secret.base32());
        out.put("uri", uri);
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(secret.base32());
        io.out().println(uri);
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge totp code}. */
  @Command(name = "code", mixinStandardHelpOptions = true, description = "Print the TOTP code of a secret at a time (RFC 6238).")
  static final class Code implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Mixin
    CodeOptions code;

    Code(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      TotpConfig config = code.config(section(options));
      Totp totp = Totp.builder(config).replayGuard(ReplayGuard.inMemory()).clock(options.clock()).build();
      Instant at = code.at(options);
      String c = totp.code(code.secret(io), at);
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("code", c);
        out.put("at", at.toString());
        out.put("step", totp.timeStep(at));
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(c);
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge totp verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify a TOTP code within the policy's skew window. Exit 0 when accepted, 1 when not."})
  static final class Verify implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Mixin
    CodeOptions code;

    @Option(names = "--code", paramLabel = "C", required = true, description = "The code to verify.")
    String given;

    @Option(names = "--account", paramLabel = "A", defaultValue = "cli",
        description = "The account the code belongs to, for replay protection (default: ${DEFAULT-VALUE}).")
    String account;

    @Option(names = "--replay-store", paramLabel = "STORE",
        description = {"Where used codes are remembered: redis://host:port, jdbc:postgresql://..., jdbc:mariadb://...",
            "(default: the policy's twoFactor.replayStore, else this process only). A code accepted once for the",
            "account is refused by every later verify against the same store."})
    String replayStore;

    Verify(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      TwoFactorPolicy section = section(options);
      TotpConfig config = code.config(section);
      String address = replayStore != null ? replayStore : section.replayStoreAddress().orElse(null);
      ReplayGuard guard;
      try {
        guard = address == null ? ReplayGuard.inMemory() : ReplayGuard.open(address, config.verificationWindow());
      } catch (IllegalArgumentException e) {
        throw CliException.badInput((replayStore != null ? "--replay-store: " : "twoFactor.replayStore: ") + e.getMessage());
      }
      TotpSecret secret = code.secret(io);
      Totp totp = Totp.builder(config).replayGuard(guard).clock(options.clock()).build();
      java.util.Optional<String> problem = totp.problemWith(given);
      if (problem.isPresent()) {
        closeQuietly(guard);
        throw CliException.badInput("--code: " + problem.get());
      }
      boolean ok;
      try {
        ok = totp.verify(account, secret, given, code.at(options));
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--code: " + e.getMessage());
      } finally {
        if (guard instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception ignored) {
            // closing a connection after the answer is known changes nothing
          }
        }
      }
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("accepted", ok);
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(ok ? "accepted" : "rejected");
      }
      return ok ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }

  private static void closeQuietly(Object guard) {
    if (guard instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing a connection after the answer is known changes nothing
      }
    }
  }
}
