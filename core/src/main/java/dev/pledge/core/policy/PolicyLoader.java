package dev.pledge.core.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a policy document (YAML, or JSON for files ending in {@code .json}) and binds each top-level
 * section to the type its module registered through {@link PolicySectionProvider}.
 *
 * <p>Loading is strict and all-or-nothing: an unknown key, a wrong type, a missing required value, an
 * explicit empty value, a duplicate key, a zero or negative duration or a percentage outside (0, 100]
 * throws a {@link PolicyException} naming the file, line, column and key path, and nothing is
 * returned. Sections are known only through the {@link PolicySectionProvider}s present (each module
 * declares its own names; core names none). A top-level key no provider binds is kept unbound with a
 * warning, so a host application that uses only {@code pledge-security} can still read the whole
 * document; a key within two edits of a bound section's name is taken for a typo and refused.
 *
 * <p>Immutable and thread-safe; build once and reuse.
 *
 * <pre>{@code
 * PolicyDocument policy = PolicyLoader.create().load(Path.of("policy.yaml"));
 * HostingPolicy hosting = policy.require(HostingPolicy.class);
 * }</pre>
 * (The README's example, which does the same, is compiled and run by {@code ReadmeExampleTest}.)
 */
public final class PolicyLoader {
  /**
   * The largest document read, in characters; a larger one is refused before any YAML is parsed (a
   * complete policy is about 14,000 characters).
   */
  public static final int MAX_DOCUMENT_CHARACTERS = 1024 * 1024;

  /** The longest single value (scalar) a document may hold, in characters. */
  public static final int MAX_SCALAR_CHARACTERS = 64 * 1024;

  private final Map<String, SectionDescriptor<?>> descriptors;
  private final List<DocumentCheck> documentChecks;

  private PolicyLoader(Map<String, SectionDescriptor<?>> descriptors, List<DocumentCheck> documentChecks) {
    this.descriptors = Map.copyOf(descriptors);
    this.documentChecks = List.copyOf(documentChecks);
  }

  /** A loader that knows every section registered by a {@link PolicySectionProvider} on the class path. */
  public static PolicyLoader create() {
    return builder().discover().build();
  }

  /** A builder, to register sections in code or discover them. */
  public static Builder builder() {
    return new Builder();
  }

  /** The section names this loader binds, sorted. */
  public Set<String> sectionNames() {
    return new TreeSet<>(descriptors.keySet());
  }

  /**
   * Loads the document at {@code file}.
   *
   * @throws PolicyException when the file is missing, unreadable or invalid
   */
  public PolicyDocument load(Path file) {
    Objects.requireNonNull(file, "file");
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new PolicyException(name, 0, 0, "", "is a directory, not a policy document");
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return load(name, r);
    } catch (NoSuchFileException e) {
      throw new PolicyException(name, 0, 0, "", "no such file");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new PolicyException(name, 0, 0, "", "is not UTF-8 text; save the policy as UTF-8");
    } catch (IOException e) {
      throw new PolicyException(name, 0, 0, "", "cannot read: " + e.getMessage());
    }
  }

  /**
   * Loads a document from {@code in}; {@code sourceName} names it in errors and picks the format
   * (JSON when it ends in {@code .json}, YAML otherwise).
   */
  public PolicyDocument load(String sourceName, InputStream in) {
    Objects.requireNonNull(in, "in");
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return load(sourceName, r);
    } catch (IOException e) {
      throw new PolicyException(sourceName, 0, 0, "", "cannot read: " + e.getMessage());
    }
  }

  /** Loads a document held in {@code content}; {@code sourceName} names it and picks the format. */
  public PolicyDocument load(String sourceName, String content) {
    Objects.requireNonNull(content, "content");
    return load(sourceName, new StringReader(content));
  }

  /** Reads at most {@link #MAX_DOCUMENT_CHARACTERS}, refusing a longer document without reading it all. */
  private static String readBounded(String sourceName, Reader reader) throws IOException {
    StringBuilder b = new StringBuilder();
    char[] buf = new char[8192];
    for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
      b.append(buf, 0, n);
      if (b.length() > MAX_DOCUMENT_CHARACTERS) {
        throw new PolicyException(sourceName, 0, 0, "", "the document is larger than " + MAX_DOCUMENT_CHARACTERS
            + " characters; a policy document is a few kilobytes");
      }
    }
    return b.toString();
  }

  /**
   * Refuses a value longer than {@link #MAX_SCALAR_CHARACTERS} before the YAML parser scans it (its
   * scanning of a long quoted value grows faster than the value): a quoted value is measured from
   * quote to quote, any other by its line. One linear pass; comments are skipped.
   */
  private static void checkScalars(String sourceName, String text) {
    int line = 1;
    int lineStart = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        lineStart = i + 1;
        continue;
      }
      if (i - lineStart > MAX_SCALAR_CHARACTERS) {
        throw new PolicyException(sourceName, line, 1, "", "line " + line + " is longer than "
            + MAX_SCALAR_CHARACTERS + " characters");
      }
      char before = i == 0 ? ' ' : text.charAt(i - 1);
      boolean tokenStart = Character.isWhitespace(before) || ":-[{,?".indexOf(before) >= 0;
      if (c == '#' && Character.isWhitespace(before) || c == '#' && i == lineStart) {
        int end = text.indexOf('\n', i);
        i = (end < 0 ? n : end) - 1;
      } else if ((c == '"' || c == '\'') && tokenStart) {
        int startLine = line;
        int startColumn = i - lineStart + 1;
        int j = i + 1;
        while (j < n) {
          char d = text.charAt(j);
          if (d == '\n') {
            line++;
            lineStart = j + 1;
          } else if (c == '"' && d == '\\') {
            j++;
          } else if (d == c) {
            if (c == '\'' && j + 1 < n && text.charAt(j + 1) == '\'') {
              j++;
            } else {
              break;
            }
          }
          if (j - i > MAX_SCALAR_CHARACTERS) {
            throw new PolicyException(sourceName, startLine, startColumn, "", "a quoted value is longer than "
                + MAX_SCALAR_CHARACTERS + " characters");
          }
          j++;
        }
        i = j;
      }
    }
  }

  private PolicyDocument load(String sourceName, Reader input) {
    Objects.requireNonNull(sourceName, "sourceName");
    String text;
    try {
      text = readBounded(sourceName, input);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new PolicyException(sourceName, 0, 0, "", "is not UTF-8 text; save the policy as UTF-8");
    } catch (IOException e) {
      throw new PolicyException(sourceName, 0, 0, "", "cannot read: " + e.getMessage());
    }
    checkScalars(sourceName, text);
    Reader reader = new StringReader(text);
    JsonFactory factory = sourceName.toLowerCase(Locale.ROOT).endsWith(".json")
        ? new JsonFactory() : new YAMLFactory();
    // backstops behind the checks above, should a value slip past them
    factory.setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
        .maxStringLength(MAX_SCALAR_CHARACTERS).maxNestingDepth(100).maxNumberLength(100).build());
    ObjectMapper mapper = Json.strictPolicyMapper(factory);
    Map<String, Object> sections = new LinkedHashMap<>();
    Map<String, JsonNode> unbound = new LinkedHashMap<>();
    List<PolicyWarning> warnings = new ArrayList<>();
    String section = null;
    NullRejectingParser p = null;
    Map<String, JsonLocation> locations = Map.of();
    try {
      p = new NullRejectingParser(mapper.createParser(reader));
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new PolicyException(sourceName, 0, 0, "", "the document is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw error(sourceName, p.currentTokenLocation(), "",
            "a policy document is a mapping of sections (organisation, passwords, backups, ...)");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        section = p.currentName();
        JsonLocation keyLocation = p.currentTokenLocation();
        p.nextToken();
        SectionDescriptor<?> d = descriptors.get(section);
        if (d != null) {
          Object value = mapper.readerFor(d.type())
              .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(p);
          if (value == null) {
            throw error(sourceName, keyLocation, section, "the section is empty");
          }
          sections.put(section, value);
        } else {
          // Core names no module's sections: a section no provider binds is either a typo of a bound
          // one (an error) or owned by a module this host does not carry (kept, with a warning).
          String near = suggestion(section, descriptors.keySet());
          if (!near.isEmpty()) {
            throw error(sourceName, keyLocation, section, "unknown section '" + section + "'" + near);
          }
          unbound.put(section, mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(p));
          warnings.add(new PolicyWarning(section, "unbound-section", "section '" + section
              + "' is not checked: no Pledge module on the class path binds it (bound: "
              + String.join(", ", new TreeSet<>(descriptors.keySet())) + ")"));
        }
        section = null;
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw error(sourceName, p.currentTokenLocation(), "", "unexpected content after the policy document");
      }
      locations = p.locations();
    } catch (JsonProcessingException e) {
      throw translate(sourceName, text, section, p, e);
    } catch (IOException e) {
      throw new PolicyException(sourceName, 0, 0, "", "cannot read: " + e.getMessage());
    } finally {
      closeQuietly(p);
    }
    runChecks(sections, warnings);
    DocumentContext context = new DocumentContext(sourceName, sections, descriptors, locations, warnings);
    for (DocumentCheck c : documentChecks) {
      c.check(context);
    }
    return new PolicyDocument(sourceName, sections, descriptors, unbound, warnings);
  }

  /** What a {@link DocumentCheck} sees: the bound sections and where each key stood. */
  private static final class DocumentContext implements DocumentCheck.Context {
    private final String source;
    private final Map<String, Object> sections;
    private final Map<String, SectionDescriptor<?>> descriptors;
    private final Map<String, JsonLocation> locations;
    private final List<PolicyWarning> warnings;

    DocumentContext(String source, Map<String, Object> sections, Map<String, SectionDescriptor<?>> descriptors,
        Map<String, JsonLocation> locations, List<PolicyWarning> warnings) {
      this.source = source;
      this.sections = sections;
      this.descriptors = descriptors;
      this.locations = locations;
      this.warnings = warnings;
    }

    @Override
    public String source() {
      return source;
    }

    @Override
    public <T> java.util.Optional<T> section(Class<T> type) {
      return PolicyDocument.find(sections, descriptors, type);
    }

    @Override
    public void warn(String path, String rule, String message) {
      JsonLocation at = locate(path);
      String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
      warnings.add(new PolicyWarning(path, rule, message, where));
    }

    @Override
    public PolicyException error(String path, String problem) {
      return PolicyLoader.error(source, locate(path), path, problem);
    }

    /** The location of {@code path}, or of its nearest enclosing key when a default filled it in. */
    private JsonLocation locate(String path) {
      String p = path == null ? "" : path;
      while (!p.isEmpty()) {
        JsonLocation at = locations.get(p);
        if (at != null) {
          return at;
        }
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut < 0 ? "" : p.substring(0, cut);
      }
      return null;
    }
  }

  private void runChecks(Map<String, Object> sections, List<PolicyWarning> warnings) {
    for (Map.Entry<String, Object> e : sections.entrySet()) {
      check(descriptors.get(e.getKey()), e.getKey(), e.getValue(), warnings);
    }
  }

  private static <T> void check(SectionDescriptor<T> d, String name, Object value, List<PolicyWarning> warnings) {
    if (d.check() != null) {
      d.check().check(name, d.type().cast(value), warnings::add);
    }
  }

  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']*)'");
  private static final Pattern JARGON = Pattern.compile(
      "org\\.yaml|com\\.fasterxml|java\\.|javax\\.|Exception|Event\\(|StreamReadFeature|\\bSource: ");
  private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']+)'");

  private static PolicyException translate(String source, String text, String section, NullRejectingParser p,
      JsonProcessingException e) {
    String path = parserPath(p);
    String problem = e.getOriginalMessage();
    JsonLocation loc = e.getLocation();
    YamlSyntax.Problem syntax = YamlSyntax.translate(problem, text);
    if (syntax != null) {
      return new PolicyException(source, syntax.line() > 0 ? syntax.line() : loc == null ? 0 : loc.getLineNr(),
          syntax.line() > 0 ? syntax.column() : loc == null ? 0 : loc.getColumnNr(), path, syntax.text());
    }
    NullRejectingParser.NullValueException nve = nullValueCause(e);
    if (nve != null) {
      // Jackson may wrap it with the path of an enclosing list; the parser knows the key.
      problem = "a value is required here (the key is present but empty)";
      loc = nve.getLocation();
      if (nve.name() != null && !path.endsWith(nve.name())) {
        path = path.isEmpty() ? nve.name() : path + "." + nve.name();
      }
    } else if (e instanceof JsonMappingException jme) {
      if (!jme.getPath().isEmpty()) {
        path = join(section, jme.getPath());
      }
      if (e instanceof UnrecognizedPropertyException u) {
        List<String> known = new ArrayList<>();
        if (u.getKnownPropertyIds() != null) {
          u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
        }
        known.sort(null);
        if (p != null && p.currentToken() == JsonToken.END_OBJECT
            && p.lastClosedKeyLocation(u.getPropertyName()) != null) {
          // Jackson reports a buffered unknown key when the mapping ends; point at the key itself.
          loc = p.lastClosedKeyLocation(u.getPropertyName());
        }
        problem = "unknown key '" + u.getPropertyName() + "'" + suggestion(u.getPropertyName(), known)
            + (known.isEmpty() ? "" : " (known keys: " + String.join(", ", known) + ")");
      } else if (e instanceof InvalidNullException) {
        problem = "a value is required here (the key is present but empty)";
      } else if (e instanceof ValueInstantiationException && e.getCause() != null
          && e.getCause().getMessage() != null) {
        problem = e.getCause().getMessage();
        if (p != null && p.currentToken() == JsonToken.END_OBJECT) {
          loc = objectStart(p, loc);
        }
      } else if (e instanceof InvalidFormatException ife) {
        problem = "expected " + describeType(ife.getTargetType()) + ", got '" + ife.getValue() + "'"
            + enumValues(ife.getTargetType());
      } else if (e instanceof MismatchedInputException mie) {
        Matcher m = MISSING.matcher(problem == null ? "" : problem);
        if (m.find()) {
          String missing = m.group(1);
          if (!path.endsWith(missing)) {
            path = path.isEmpty() ? missing : path + "." + missing;
          }
          problem = "missing required key '" + missing + "'";
          loc = objectStart(p, loc);
          // A misspelt key is the likelier story than a forgotten one: say so.
          if (p != null) {
            for (String key : p.lastClosedKeys()) {
              if (!suggestion(key, List.of(missing)).isEmpty() && !key.equals(missing)) {
                path = path.substring(0, path.length() - missing.length()) + key;
                loc = p.lastClosedKeyLocation(key);
                problem = "unknown key '" + key + "'; did you mean '" + missing + "'?";
              }
            }
          }
        } else if (mie.getTargetType() != null && problem != null && problem.startsWith("Cannot")) {
          if (jme.getPath().isEmpty() && section != null) {
            path = section;
          }
          problem = "expected " + describeType(mie.getTargetType()) + " here"
              + enumValues(mie.getTargetType());
        }
      }
    }
    return new PolicyException(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
        path, clean(problem));
  }

  private static NullRejectingParser.NullValueException nullValueCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NullRejectingParser.NullValueException nve) {
        return nve;
      }
    }
    return null;
  }

  private static JsonLocation objectStart(NullRejectingParser p, JsonLocation fallback) {
    return p != null && p.lastClosedObject() != null ? p.lastClosedObject() : fallback;
  }

  /** Where the parser stopped, as {@code backups.schedules[1].every}: the fallback path of an error. */
  static String parserPath(JsonParser p) {
    if (p == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        if (c.getCurrentIndex() >= 0) {
          parts.add(0, "[" + c.getCurrentIndex() + "]");
        }
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    String joined = String.join("", parts);
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }

  private static void closeQuietly(JsonParser p) {
    if (p != null) {
      try {
        p.close();
      } catch (IOException ignored) {
        // nothing was written; the document was only read
      }
    }
  }

  private static String clean(String problem) {
    if (problem == null) {
      return "invalid value";
    }
    // Jackson's own messages name Java classes; keep only the first sentence a policy author can use.
    int nl = problem.indexOf('\n');
    String p = nl >= 0 ? problem.substring(0, nl) : problem;
    Matcher duplicate = DUPLICATE.matcher(p);
    if (duplicate.find()) {
      return "the key '" + duplicate.group(1) + "' appears twice in this mapping";
    }
    p = p.replaceAll("\\(class [^)]*\\)", "").replaceAll("`[a-z]+(\\.[a-zA-Z0-9_$]+)+`", "value").strip();
    // a last guard: no class names or parser internals reach a policy author
    if (JARGON.matcher(p).find()) {
      return "this is not valid here";
    }
    return p;
  }

  private static String join(String section, List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder(section == null ? "" : section);
    for (JsonMappingException.Reference r : refs) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.toString();
  }

  private static String describeType(Class<?> type) {
    if (type == null) {
      return "a value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "text";
    }
    if (type.isEnum()) {
      return "one of";
    }
    if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type.getName().startsWith("java.time.")) {
      return "a " + type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  private static String enumValues(Class<?> type) {
    if (type == null || !type.isEnum()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    for (Object c : type.getEnumConstants()) {
      names.add(c.toString());
    }
    return " (one of " + String.join(", ", names) + ")";
  }

  private static PolicyException error(String source, JsonLocation loc, String path, String problem) {
    return new PolicyException(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
        path, problem);
  }

  /** "; did you mean 'passwords'?" when a known name is within two edits. */
  static String suggestion(String name, Collection<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** A builder holding every section and document check of this loader, to register more. */
  public Builder toBuilder() {
    Builder b = builder();
    descriptors.values().forEach(b::register);
    documentChecks.forEach(b::check);
    return b;
  }

  /** Builds a {@link PolicyLoader}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, SectionDescriptor<?>> descriptors = new LinkedHashMap<>();
    private final List<DocumentCheck> documentChecks = new ArrayList<>();

    private Builder() {}

    /** Registers every section of every {@link PolicySectionProvider} on the class path. */
    public Builder discover() {
      for (PolicySectionProvider p : ServiceLoader.load(PolicySectionProvider.class,
          PolicyLoader.class.getClassLoader())) {
        p.sections().forEach(this::register);
        p.documentChecks().forEach(this::check);
      }
      return this;
    }

    /** Registers a check that runs on the whole document once it has loaded. */
    public Builder check(DocumentCheck check) {
      documentChecks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * Registers one section.
     *
     * @throws IllegalArgumentException if another type already owns the name
     */
    public Builder register(SectionDescriptor<?> descriptor) {
      Objects.requireNonNull(descriptor, "descriptor");
      SectionDescriptor<?> old = descriptors.get(descriptor.name());
      if (old != null && !old.equals(descriptor)) {
        throw new IllegalArgumentException("section '" + descriptor.name() + "' is registered twice: by "
            + old.type().getName() + " and " + descriptor.type().getName());
      }
      descriptors.put(descriptor.name(), descriptor);
      return this;
    }

    /** The loader. */
    public PolicyLoader build() {
      return new PolicyLoader(descriptors, documentChecks);
    }
  }
}
