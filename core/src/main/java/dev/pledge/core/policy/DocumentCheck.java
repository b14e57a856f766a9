package dev.pledge.core.policy;

import java.util.Optional;

/**
 * A check that runs once the whole document has loaded and every section's own checks have run, for
 * rules that span sections (an alert route naming a tier of another section, an engineer on call who
 * needs a phone number in another). A module offers its checks through
 * {@link PolicySectionProvider#documentChecks()}.
 *
 * <p>A check reports warnings through {@link Context#warn} and fails loading by throwing the
 * exception {@link Context#error} builds; both name the file, line and column of the key path they
 * are about (or of its nearest enclosing key present in the document, when a default filled it in).
 * Checks must not assume any section is present: a document may hold any subset.
 */
@FunctionalInterface
public interface DocumentCheck {

  /** Checks the loaded document through {@code context}. */
  void check(Context context);

  /** What a {@link DocumentCheck} sees of the document, and how it reports. */
  interface Context {

    /** The name of the file or resource being loaded. */
    String source();

    /** The bound section of type {@code type}, if the document has it, as {@link PolicyDocument#section(Class)} answers. */
    <T> Optional<T> section(Class<T> type);

    /** Records a warning about the key at {@code path}, such as {@code alerts.sms.phones}. */
    void warn(String path, String rule, String message);

    /**
     * The exception that fails loading because of the key at {@code path}; throw it.
     *
     * @param path the key path, such as {@code alerts.routing[3].tier}
     * @param problem what is wrong, without the location
     */
    PolicyException error(String path, String problem);
  }
}
