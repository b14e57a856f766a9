package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyWarning;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pledge policy}: load and validate policy documents. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Load and validate a policy document.",
    subcommands = PolicyCommand.Check.class)
final class PolicyCommand implements Runnable {
  private final Io io;

  PolicyCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw CliException.badInput("policy: a subcommand is required (check)");
  }

  /** {@code pledge policy check [FILE]}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Load and validate a policy document and print the effective policy.",
          "Errors name the file, line, column and the path of the offending key (exit 2)."})
  static final class Check implements Callable<Integer> {
    private final Io io;

    @Mixin
    CommonOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
        description = "The document (default: --policy, or the bundled policy).")
    Path file;

    Check(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PolicyDocument doc;
      try {
        doc = CommonOptions.loadPolicy(file != null ? file : options.policy);
      } catch (PolicyException e) {
        if (options.json()) {
          ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
          out.put("valid", false);
          ObjectNode err = out.putObject("error");
          err.put("file", e.source());
          err.put("line", e.line());
          err.put("column", e.column());
          err.put("path", e.path());
          err.put("problem", e.problem());
          err.put("message", e.getMessage());
          io.out().println(CommonOptions.toJson(out));
        }
        throw e;
      }
      if (options.json()) {
        ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
        out.put("valid", true);
        out.put("source", doc.source());
        ArrayNode sections = out.putArray("sections");
        doc.sectionNames().forEach(sections::add);
        ArrayNode warnings = out.putArray("warnings");
        for (PolicyWarning w : doc.warnings()) {
          ObjectNode warning = warnings.addObject().put("path", w.path()).put("rule", w.rule())
              .put("message", w.message());
          located(warning, w.location());
        }
        out.set("policy", doc.toJson());
        io.out().println(CommonOptions.toJson(out));
      } else {
        io.out().println("# " + doc.source() + ": valid; " + doc.sectionNames().size() + " sections bound ("
            + String.join(", ", doc.sectionNames()) + ")");
        for (PolicyWarning w : doc.warnings()) {
          io.out().println("# warning: " + (w.location().isEmpty() ? "" : w.location() + ": ")
              + (w.path().isEmpty() ? "" : w.path() + ": ") + w.message() + " [" + w.rule() + "]");
        }
        io.out().print(doc.toYaml());
      }
      return PledgeCli.OK;
    }

    /** {@code file:line:column}, the file being anything before the last two colons. */
    private static final Pattern FILE_LINE_COLUMN = Pattern.compile("(.+):([0-9]{1,9}):([0-9]{1,9})");

    /**
     * Adds where a warning stands, when known, as fields beside the existing ones: {@code location}
     * as the loader wrote it, and {@code file}, {@code line}, {@code column} as the error object
     * gives them ({@code file} alone when only the document is known).
     */
    private static void located(ObjectNode warning, String location) {
      if (location.isEmpty()) {
        return;
      }
      warning.put("location", location);
      Matcher m = FILE_LINE_COLUMN.matcher(location);
      if (m.matches()) {
        warning.put("file", m.group(1));
        warning.put("line", Integer.parseInt(m.group(2)));
        warning.put("column", Integer.parseInt(m.group(3)));
      } else {
        warning.put("file", location);
      }
    }
  }
}
