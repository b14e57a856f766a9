package dev.pledge.examples.cli;

import dev.pledge.core.PledgeException;
import dev.pledge.core.policy.PolicyException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pledge}: the reference host application that wires the library together, and the stable
 * command-line surface of ../shared/CLI.md. Every command is a thin layer over the Java API.
 *
 * <p>Exit status: {@code 0} success; {@code 1} a well-formed negative answer; {@code 2} bad usage or
 * bad input; {@code 3} an operational failure.
 */
@Command(
    name = "pledge",
    mixinStandardHelpOptions = true,
    versionProvider = PledgeCli.Version.class,
    description = "Keeps a company's security, backup and support-SLA promises, and proves them.",
    subcommands = {
        PolicyCommand.class,
        PasswordCommand.class,
        TotpCommand.class,
        ThrottleCommand.class,
        RetentionCommand.class,
        BackupCommand.class,
        AuditCommand.class,
        SlaCommand.class,
        UptimeCommand.class,
        AccessCommand.class,
        BreachCommand.class,
        TourCommand.class,
        ReportCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class PledgeCli implements Runnable {

  /** Success, valid, allowed, verified. */
  public static final int OK = 0;
  /** A well-formed negative answer: invalid password, no match, verification failed. */
  public static final int NEGATIVE = 1;
  /** Bad usage or bad input. */
  public static final int BAD_INPUT = 2;
  /** An operational failure: a store or service is unreachable. */
  public static final int FAILURE = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final Io io;

  PledgeCli(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command line against the given streams and returns the exit status; never exits. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Io io = new Io(in, out, err);
    CommandLine cmd = new CommandLine(new PledgeCli(io), new IoFactory(io));
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      int code = exitCodeOf(e);
      err.println("pledge: " + messageOf(e));
      if (code == FAILURE && System.getenv("PLEDGE_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return code;
    });
    cmd.setParameterExceptionHandler((e, args1) -> {
      err.println("pledge: " + dev.pledge.core.internal.Redaction.message(e.getMessage()));
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return BAD_INPUT;
    });
    out.flush();
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static int exitCodeOf(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof PolicyException || e instanceof IllegalArgumentException
        || e instanceof java.time.DateTimeException || e instanceof java.nio.file.NoSuchFileException) {
      return BAD_INPUT;
    }
    if (e instanceof PledgeException) {
      return FAILURE;
    }
    return FAILURE;
  }

  /** The message shown for {@code e}, with any password in a location it quotes replaced. */
  static String messageOf(Throwable e) {
    return dev.pledge.core.internal.Redaction.message(rawMessageOf(e));
  }

  private static String rawMessageOf(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + m;
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /**
   * The version: the jar manifest's Implementation-Version, else the version the build wrote into
   * {@code pledge-version.properties} (so a run from the class folders, as in tests, knows it too).
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pledge " + version()};
    }

    static String version() {
      String v = PledgeCli.class.getPackage().getImplementationVersion();
      if (v != null) {
        return v;
      }
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = PledgeCli.class.getResourceAsStream("/pledge-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (java.io.IOException e) {
        return "unknown";
      }
      return p.getProperty("version", "unknown");
    }
  }

  /** Gives every command the streams of this run, so tests run the CLI in-process. */
  private record IoFactory(Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == PledgeCli.class) {
        return cls.cast(new PledgeCli(io));
      }
      try {
        return cls.getDeclaredConstructor(Io.class).newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
