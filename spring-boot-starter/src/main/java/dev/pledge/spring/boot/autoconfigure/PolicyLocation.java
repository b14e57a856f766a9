package dev.pledge.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Where {@code pledge.policy} points: a Spring resource location ({@code classpath:}, {@code file:}, a URL)
 * or a plain file path. Plain paths are files, never class path or servlet-context resources, so
 * {@code pledge.policy=policy.yaml} means the file in the working directory.
 */
final class PolicyLocation {
  private static final Pattern RESOURCE = Pattern.compile("(classpath\\*?|file|https?|jar):.*");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String location;

  private PolicyLocation(String location) {
    this.location = location;
  }

  static PolicyLocation of(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("pledge.policy must name the policy document, such as classpath:policy.yaml");
    }
    return new PolicyLocation(location.trim());
  }

  String location() {
    return location;
  }

  private boolean isResource() {
    return RESOURCE.matcher(location.toLowerCase(Locale.ROOT)).matches();
  }

  /** Loads the document strictly with {@code loader}; every problem is a {@link PolicyException}. */
  PolicyDocument load(PolicyLoader loader, ResourceLoader resources) {
    if (!isResource()) {
      return loader.load(Path.of(location));
    }
    try (InputStream in = open(resources)) {
      return loader.load(location, in);
    } catch (IOException e) {
      throw new PolicyException(location, 0, 0, "", "cannot read: " + e.getMessage());
    }
  }

  /**
   * Whether the document has a top-level key {@code section}. Reads the tree only (no binding, no
   * checks): an unreadable document answers {@code false} here and fails properly when it is loaded.
   */
  boolean hasSection(String section, ResourceLoader resources) {
    ObjectMapper mapper = location.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    try (InputStream in = isResource() ? open(resources) : java.nio.file.Files.newInputStream(Path.of(location))) {
      JsonNode root = mapper.readTree(in);
      return root != null && root.isObject() && root.has(section);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private InputStream open(ResourceLoader resources) throws IOException {
    Resource r = resources.getResource(location);
    if (!r.exists()) {
      throw new PolicyException(location, 0, 0, "", "no such resource (set pledge.policy to the policy document)");
    }
    return r.getInputStream();
  }
}
