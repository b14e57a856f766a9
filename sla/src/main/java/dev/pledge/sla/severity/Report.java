package dev.pledge.sla.severity;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A reported issue as the classifier sees it (P33): its free text and structured signals. Immutable
 * and thread-safe.
 *
 * <p>Structured signals are plain named fields that rules can test ({@code when:} in the policy):
 * {@code siteDown}, {@code security}, {@code affectedUsers}, {@code category}, plus any field an
 * integrator adds with {@link Builder#field}. Field names are case-sensitive; values are strings.
 *
 * @param text the report's text as the customer wrote it; never blank
 * @param fields the structured signals by name
 */
public record Report(String text, Map<String, String> fields) {

  /** Field set by {@link Builder#siteDown}: {@code true} when the reporter says the site is down. */
  public static final String SITE_DOWN = "siteDown";
  /** Field set by {@link Builder#security}: {@code true} when the report is flagged as a security matter. */
  public static final String SECURITY = "security";
  /** Field set by {@link Builder#affectedUsers}: how many users are affected, a whole number. */
  public static final String AFFECTED_USERS = "affectedUsers";
  /** Field set by {@link Builder#category}: a category the reporter or a form chose. */
  public static final String CATEGORY = "category";

  /**
   * Validates the report.
   *
   * @throws IllegalArgumentException when the text is blank or a field name is blank
   */
  public Report {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("report text must not be empty; describe the issue");
    }
    Objects.requireNonNull(fields, "fields");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("report field names must not be blank");
      }
      Objects.requireNonNull(e.getValue(), "value of report field " + e.getKey());
    }
    fields = Map.copyOf(fields);
  }

  /** A report with only free text. */
  public static Report of(String text) {
    return new Report(text, Map.of());
  }

  /** A builder starting from {@code text}. */
  public static Builder builder(String text) {
    return new Builder(text);
  }

  /** A builder holding this report's text and fields, to add or change a field. */
  public Builder toBuilder() {
    Builder b = builder(text);
    b.fields.putAll(fields);
    return b;
  }

  /** The value of field {@code name}, if set. */
  public Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  @Override
  public String toString() {
    return "Report[" + text.length() + " chars, fields=" + fields + "]";
  }

  /** Builds a {@link Report}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private Builder(String text) {
      this.text = text;
    }

    /** Says whether the reporter says the site is down. */
    public Builder siteDown(boolean down) {
      return field(SITE_DOWN, Boolean.toString(down));
    }

    /** Says whether the report is flagged as a security matter. */
    public Builder security(boolean security) {
      return field(SECURITY, Boolean.toString(security));
    }

    /** How many users are affected; must not be negative. */
    public Builder affectedUsers(long users) {
      if (users < 0) {
        throw new IllegalArgumentException("affectedUsers must not be negative, got " + users);
      }
      return field(AFFECTED_USERS, Long.toString(users));
    }

    /** A category chosen by the reporter, such as {@code outage}. */
    public Builder category(String category) {
      return field(CATEGORY, Objects.requireNonNull(category, "category").strip().toLowerCase(Locale.ROOT));
    }

    /** Any other structured signal. */
    public Builder field(String name, String value) {
      fields.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The report. */
    public Report build() {
      return new Report(text, fields);
    }
  }
}
