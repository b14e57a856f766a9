package dev.pledge.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pledge.core.internal.Json;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every command takes ({@code --json}, {@code --now}, {@code --zone}, {@code --policy}),
 * mixed into each command with {@code @Mixin}.
 */
public final class CommonOptions {
  /** The resource name of the bundled policy, which encodes every promise of PROMISES.md. */
  public static final String BUNDLED_POLICY = "/policy.yaml";

  @Option(names = "--json", description = "Print exactly one JSON document on stdout.")
  boolean json;

  @Option(names = "--now", paramLabel = "T", converter = InstantConverter.class,
      description = "Use this ISO-8601 instant (2026-11-01T06:30:00Z) as the current time.")
  Instant now;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", converter = ZoneConverter.class,
      description = "The zone for calendar arithmetic (default: ${DEFAULT-VALUE}).")
  ZoneId zone;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "The policy document (default: the bundled policy).")
  Path policy;

  /** Whether {@code --json} was given. */
  public boolean json() {
    return json;
  }

  /** The policy file given with {@code --policy}, or null for the bundled policy. */
  public Path policyFile() {
    return policy;
  }

  /** The clock: fixed at {@code --now} when given, else the system clock; in {@link #zone()}. */
  public Clock clock() {
    ZoneId z = zone();
    if (now == null) {
      return Clock.system(z);
    }
    return Clock.fixed(now, z);
  }

  /** The instant of {@code --now}, if given. */
  public java.util.Optional<Instant> now() {
    return java.util.Optional.ofNullable(now);
  }

  /** The zone of {@code --zone}. */
  public ZoneId zone() {
    return zone == null ? ZoneOffset.UTC : zone;
  }

  /** The policy of {@code --policy}, or the bundled one. */
  public PolicyDocument loadPolicy() {
    return loadPolicy(policy);
  }

  /** The policy at {@code file}, or the bundled one when {@code file} is null. */
  public static PolicyDocument loadPolicy(Path file) {
    PolicyLoader loader = PolicyLoader.create();
    if (file != null) {
      return loader.load(file);
    }
    try (InputStream in = CommonOptions.class.getResourceAsStream(BUNDLED_POLICY)) {
      if (in == null) {
        throw CliException.failure("the bundled policy " + BUNDLED_POLICY + " is missing from the jar");
      }
      return loader.load("bundled:policy.yaml", in);
    } catch (IOException e) {
      throw CliException.failure("cannot read the bundled policy: " + e.getMessage());
    }
  }

  /** Parses an ISO-8601 instant given for {@code option}, or fails with exit 2 naming it. */
  public static Instant parseInstant(String option, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        throw CliException.badInput(option + ": '" + text
            + "' is not an ISO-8601 instant (write e.g. 2026-11-01T06:30:00Z)");
      }
    }
  }

  /** The mapper for {@code --json} output: ISO-8601 instants and durations, no nulls. */
  public static ObjectMapper jsonMapper() {
    return Json.mapper();
  }

  /** Writes {@code value} as one JSON document on a line. */
  public static String toJson(Object value) {
    try {
      return jsonMapper().copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Converts {@code --now} and other instants; a bad one is a usage error (exit 2). */
  public static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return parseInstant("instant", value);
      } catch (CliException e) {
        throw new TypeConversionException("'" + value + "' is not an ISO-8601 instant (write e.g. 2026-11-01T06:30:00Z)");
      }
    }
  }

  /** Converts {@code --zone}; an unknown zone is a usage error (exit 2). */
  public static final class ZoneConverter implements ITypeConverter<ZoneId> {
    @Override
    public ZoneId convert(String value) {
      try {
        return ZoneId.of(value);
      } catch (java.time.DateTimeException e) {
        throw new TypeConversionException("unknown zone '" + value + "' (write e.g. Europe/London or UTC)");
      }
    }
  }

  /** UTC, for code that wants a zone without options. */
  public static ZoneId utc() {
    return ZoneOffset.UTC;
  }
}
