package dev.pledge.security.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the validator knows about the account a password is for: words that must not appear in it
 * and the hashes of its previous passwords (P24, P25). Immutable and thread-safe; its
 * {@code toString()} lists which fields are set, never their values.
 *
 * @param username the account's user name, or {@code null}
 * @param email the account's e-mail address, or {@code null}
 * @param siteName the site's or product's name, or {@code null}
 * @param otherWords more words tied to the account (first name, company)
 * @param previousHashes hashes of the account's previous passwords, newest first
 */
public record PasswordContext(String username, String email, String siteName, List<String> otherWords,
    List<String> previousHashes) {

  /** An empty context. */
  public static final PasswordContext NONE = new PasswordContext(null, null, null, List.of(), List.of());

  /** Copies the lists. */
  public PasswordContext {
    otherWords = otherWords == null ? List.of() : List.copyOf(otherWords);
    previousHashes = previousHashes == null ? List.of() : List.copyOf(previousHashes);
  }

  /** A context with only a user name. */
  public static PasswordContext of(String username) {
    return new PasswordContext(username, null, null, List.of(), List.of());
  }

  /** A copy with {@code email}. */
  public PasswordContext withEmail(String email) {
    return new PasswordContext(username, email, siteName, otherWords, previousHashes);
  }

  /** A copy with {@code siteName}. */
  public PasswordContext withSiteName(String siteName) {
    return new PasswordContext(username, email, siteName, otherWords, previousHashes);
  }

  /** A copy with more words. */
  public PasswordContext withWords(List<String> words) {
    List<String> all = new ArrayList<>(otherWords);
    all.addAll(Objects.requireNonNull(words, "words"));
    return new PasswordContext(username, email, siteName, all, previousHashes);
  }

  /** A copy with the hashes of previous passwords, newest first. */
  public PasswordContext withPreviousHashes(List<String> hashes) {
    return new PasswordContext(username, email, siteName, otherWords, hashes);
  }

  @Override
  public String toString() {
    return "PasswordContext[username=" + (username != null) + ", email=" + (email != null) + ", siteName="
        + (siteName != null) + ", otherWords=" + otherWords.size() + ", previousHashes=" + previousHashes.size() + "]";
  }
}
