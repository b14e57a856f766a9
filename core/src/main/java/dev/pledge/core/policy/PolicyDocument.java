package dev.pledge.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded policy document: each section bound to the type of the module that owns it. Immutable
 * and thread-safe. Obtain one from {@link PolicyLoader}.
 */
public final class PolicyDocument {
  private final String source;
  private final Map<String, Object> sections;
  private final Map<String, SectionDescriptor<?>> descriptors;
  private final Map<String, JsonNode> unbound;
  private final List<PolicyWarning> warnings;

  PolicyDocument(String source, Map<String, Object> sections, Map<String, SectionDescriptor<?>> descriptors,
      Map<String, JsonNode> unbound, List<PolicyWarning> warnings) {
    this.source = source;
    this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    this.descriptors = Map.copyOf(descriptors);
    this.unbound = Collections.unmodifiableMap(new LinkedHashMap<>(unbound));
    this.warnings = List.copyOf(warnings);
  }

  /** The name of the file or resource the document was read from. */
  public String source() {
    return source;
  }

  /**
   * The bound section of type {@code type}, if the document has it. A type a section was bound to
   * before a rename (a deprecated type its module declares with {@link SectionDescriptor#withFormerType})
   * is answered with the bound section converted to it.
   */
  public <T> Optional<T> section(Class<T> type) {
    return find(sections, descriptors, type);
  }

  /** The section of {@code type} among {@code sections}, else one whose descriptor declares {@code type} a former type. */
  static <T> Optional<T> find(Map<String, Object> sections, Map<String, SectionDescriptor<?>> descriptors, Class<T> type) {
    for (Object s : sections.values()) {
      if (type.isInstance(s)) {
        return Optional.of(type.cast(s));
      }
    }
    for (Map.Entry<String, Object> e : sections.entrySet()) {
      SectionDescriptor<?> d = descriptors.get(e.getKey());
      T former = d == null ? null : d.asFormerType(e.getValue(), type);
      if (former != null) {
        return Optional.of(former);
      }
    }
    return Optional.empty();
  }

  /**
   * The bound section of type {@code type}.
   *
   * @throws PolicyException naming the document when it has no such section
   */
  public <T> T require(Class<T> type) {
    return section(type).orElseThrow(() -> new PolicyException(source, 0, 0, "",
        "the policy has no section of type " + type.getSimpleName()));
  }

  /** The bound section under the key {@code name}, if any. */
  public Optional<Object> section(String name) {
    return Optional.ofNullable(sections.get(name));
  }

  /** The keys of the bound sections, in document order. */
  public Set<String> sectionNames() {
    return sections.keySet();
  }

  /**
   * The keys of sections that belong to a module not on the class path: kept as read, not bound, and
   * named in a warning.
   */
  public Set<String> unboundSectionNames() {
    return unbound.keySet();
  }

  /** Warnings found while loading: rules worth a reader's attention that are not errors. */
  public List<PolicyWarning> warnings() {
    return warnings;
  }

  /**
   * The effective policy as YAML: every bound section with its defaults filled in, durations written
   * as {@code 2h} and periods as {@code 3 months}; unbound sections as they were read.
   */
  public String toYaml() {
    Map<String, Object> all = new LinkedHashMap<>(sections);
    all.putAll(unbound);
    try {
      return Json.policyWriter().writeValueAsString(all);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the effective policy: " + e.getOriginalMessage(), e);
    }
  }

  /** The effective policy as a JSON tree, with durations in ISO-8601. */
  public JsonNode toJson() {
    Map<String, Object> all = new LinkedHashMap<>(sections);
    all.putAll(unbound);
    return Json.mapper().valueToTree(all);
  }

  @Override
  public String toString() {
    return "PolicyDocument[" + source + ", sections=" + sections.keySet() + "]";
  }
}
