package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.security.password.PasswordContext;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.password.ValidationResult;
import dev.pledge.security.password.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pledge password}: Check, hash and verify passwords (P23-P26). */
@Command(name = "password", mixinStandardHelpOptions = true,
    description = "Check, hash and verify passwords (P23-P26).",
    subcommands = {PasswordCommand.Check.class, PasswordCommand.Hash.class, PasswordCommand.Verify.class})
final class PasswordCommand implements Runnable {
  private final Io io;

  PasswordCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("password: a subcommand is required (check, hash, verify); see 'pledge password --help'");
  }

  /** The {@code passwords} section of the policy, or the document profile's defaults when absent. */
  static PasswordsPolicy section(PolicyDocument doc) {
    return doc.section(PasswordsPolicy.class).orElseGet(() -> new PasswordsPolicy(null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null));
  }

  /** The one password on stdin; a missing one is bad input. */
  static String readPassword(Io io) {
    String line = io.readLine();
    if (line == null) {
      throw CliException.badInput("no password on stdin: write it as one line on standard input");
    }
    return line;
  }

  /** {@code pledge password check [--user NAME] [--batch]}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Check the password on stdin against the policy's passwords section (P24).",
          "Every violation is listed with a stable code. Exit 0 when valid, 1 when not.",
          "With --batch, one password per line and one result per line (JSON Lines with --json)."})
  static final class Check implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Option(names = "--user", paramLabel = "NAME", description = "The account's user name, which the password must not contain.")
    String user;

    @Option(names = "--batch", description = "Read one password per line; answer one line per password.")
    boolean batch;

    Check(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PolicyDocument doc = options.loadPolicy();
      PasswordsPolicy section = section(doc);
      PasswordValidator validator = PasswordValidator.builder(section).clock(options.clock()).build();
      PasswordContext context = new PasswordContext(user, null,
          doc.section(OrganisationPolicy.class).map(OrganisationPolicy::name).orElse(null), List.of(), List.of());
      List<String> passwords = batch ? io.readLines() : List.of(readPassword(io));
      if (passwords.isEmpty()) {
        throw CliException.badInput("--batch: standard input holds no password (one password per line)");
      }
      boolean allValid = true;
      int n = 0;
      for (String p : passwords) {
        n++;
        ValidationResult r = validator.validate(p, context);
        allValid &= r.valid();
        if (options.json()) {
          ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
          out.put("valid", r.valid());
          ArrayNode vs = out.putArray("violations");
          for (Violation v : r.violations()) {
            vs.addObject().put("code", v.code().name()).put("message", v.message());
          }
          io.out().println(CommonOptions.toJson(out));
        } else {
          String prefix = batch ? "line " + n + ": " : "";
          if (r.valid()) {
            io.out().println(prefix + "valid");
          } else {
            io.out().println(prefix + "invalid (" + r.violations().size() + " violations)");
            for (Violation v : r.violations()) {
              io.out().println("  " + v.code().name() + ": " + v.message());
            }
          }
        }
      }
      return allValid ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }

  /** {@code pledge password hash}. */
  @Command(name = "hash", mixinStandardHelpOptions = true,
      description = {"Hash the password on stdin in modular crypt form ($2b$12$...) with the policy's hashing settings (P23).",
          "A password over bcrypt's 72 bytes is refused (exit 2), never truncated."})
  static final class Hash implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    Hash(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PasswordsPolicy section = section(options.loadPolicy());
      if (section.hashing().longPasswords() == dev.pledge.security.password.LongPasswordMode.PREHASH) {
        throw CliException.badInput("hashing.longPasswords PREHASH needs a pepper, which the command line does not take; "
            + "use the Java API (PasswordHasher.bcryptWithPrehash)");
      }
      String hash = PasswordHasher.from(section.hashing(), null).hash(readPassword(io));
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("hash", hash);
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(hash);
      }
      return PledgeCli.OK;
    }
  }

  /** {@code pledge password verify (--hash HASH | --hash-file FILE)}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify the password on stdin against a bcrypt ($2a$, $2b$, $2y$) or Argon2id hash.",
          "Exit 0 on match, 1 on mismatch, 2 when the hash is malformed."})
  static final class Verify implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
      @Option(names = "--hash", paramLabel = "HASH", description = "The hash (quote it: it contains $).")
      String hash;

      @Option(names = "--hash-file", paramLabel = "FILE", description = "A file whose first line is the hash.")
      Path hashFile;
    }

    Verify(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws IOException {
      String hash = source.hash;
      if (hash == null) {
        try {
          List<String> lines = Files.readAllLines(source.hashFile);
          hash = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (NoSuchFileException e) {
          throw CliException.badInput("--hash-file: no such file: " + source.hashFile);
        }
      }
      PasswordsPolicy section = section(options.loadPolicy());
      PasswordHasher hasher = PasswordHasher.from(section.hashing().longPasswords()
          == dev.pledge.security.password.LongPasswordMode.PREHASH
          ? new PasswordsPolicy.Hashing(section.hashing().algorithm(), section.hashing().cost(), null)
          : section.hashing(), null);
      String password = readPassword(io);
      java.util.Optional<String> problem = hasher instanceof dev.pledge.security.password.internal.PledgeHasher h
          ? h.problem(hash) : PasswordHasher.problemWith(hash);
      if (problem.isPresent()) {
        throw CliException.badInput((source.hash != null ? "--hash: " : "--hash-file: ") + problem.get());
      }
      boolean ok;
      try {
        ok = hasher.verify(password, hash);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput((source.hash != null ? "--hash: " : "--hash-file: ") + e.getMessage());
      }
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("verified", ok);
        if (ok) {
          out.put("needsRehash", hasher.needsRehash(hash));
        }
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println(ok ? "verified" : "mismatch");
      }
      return ok ? PledgeCli.OK : PledgeCli.NEGATIVE;
    }
  }
}
