package dev.pledge.security.password;

import dev.pledge.core.policy.PolicyWarning;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rules a password must follow and how long it lasts (P24, P25), under the name they had before
 * 0.2.0. Every method delegates to the {@link PasswordRules} it holds ({@link #toRules()}), and the
 * components' deprecated overloads accept this type by converting it. Immutable and thread-safe.
 *
 * @deprecated renamed so that every {@code ...Policy} type is a section of the policy document: use
 *     {@link PasswordRules} (same factories, builder and getters; {@code hashing()} returns a
 *     {@link PasswordsPolicy.Hashing}), bound from the section with {@link PasswordRules#from(PasswordsPolicy)}
 */
@Deprecated(since = "0.2.0", forRemoval = true)
@SuppressWarnings("removal") // speaks the deprecated PasswordsSection types it was written with
public final class PasswordPolicy {
  /** Input longer than this many UTF-16 units is refused before any other work. */
  public static final int HARD_CAP = PasswordRules.HARD_CAP;
  /** NIST SP 800-63B: verifiers SHALL permit at least 64 characters. */
  public static final int NIST_MIN_MAX_LENGTH = PasswordRules.NIST_MIN_MAX_LENGTH;

  private final PasswordRules rules;

  private PasswordPolicy(PasswordRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  static PasswordPolicy of(PasswordRules rules) {
    return new PasswordPolicy(rules);
  }

  /** The document profile: 12+ characters, four classes, 30-day rotation (P24, P25). */
  public static PasswordPolicy document() {
    return new PasswordPolicy(PasswordRules.document());
  }

  /** The NIST SP 800-63B profile: 15+ characters, no composition rules, no periodic rotation. */
  public static PasswordPolicy nist80063b() {
    return new PasswordPolicy(PasswordRules.nist80063b());
  }

  /** The policy of {@code profile} with its defaults. */
  public static PasswordPolicy of(PasswordProfile profile) {
    return new PasswordPolicy(PasswordRules.of(profile));
  }

  /** A builder starting from {@code profile}'s defaults. */
  public static Builder builder(PasswordProfile profile) {
    return new Builder(PasswordRules.builder(profile));
  }

  /** The policy the document's {@code passwords} section describes. */
  public static PasswordPolicy from(PasswordsSection s) {
    return new PasswordPolicy(PasswordRules.from(s.toPolicy()));
  }

  /**
   * The same rules under their new name.
   *
   * @return the rules
   */
  public PasswordRules toRules() {
    return rules;
  }

  /** A builder holding this policy's rules. */
  public Builder toBuilder() {
    return new Builder(rules.toBuilder());
  }

  /**
   * The rules of this policy that contradict a SHALL or SHALL NOT of NIST SP 800-63B; see
   * {@link PasswordRules#nistWarnings(String)}.
   */
  public List<PolicyWarning> nistWarnings(String prefix) {
    return rules.nistWarnings(prefix);
  }

  /** The profile the policy started from. */
  public PasswordProfile profile() { return rules.profile(); }
  /** The fewest code points, counted after NFKC normalization. */
  public int minLength() { return rules.minLength(); }
  /** The most code points, counted after NFKC normalization. */
  public int maxLength() { return rules.maxLength(); }
  /** The character classes that must each appear at least once. */
  public Set<CharacterClass> required() { return rules.required(); }
  /** How characters are put into classes. */
  public CharacterSet characterSet() { return rules.characterSet(); }
  /** Whether the bundled list of common passwords applies. */
  public boolean commonPasswordBlocklist() { return rules.commonPasswordBlocklist(); }
  /** Extra words refused as parts of passwords, lower-cased. */
  public List<String> blockedWords() { return rules.blockedWords(); }
  /** Whether the account's user name, e-mail and site name must not appear. */
  public boolean contextWords() { return rules.contextWords(); }
  /** The longest run of one character allowed; 0 for no limit. */
  public int maxRepeat() { return rules.maxRepeat(); }
  /** The longest sequential run allowed; 0 for no limit. */
  public int maxSequence() { return rules.maxSequence(); }
  /** How many previous passwords a new one must differ from. */
  public int historyDepth() { return rules.historyDepth(); }
  /** How long a password lasts; zero for no periodic rotation. */
  public Duration rotation() { return rules.rotation(); }
  /** How long before expiry the status turns {@code EXPIRING}. */
  public Duration expiryWarning() { return rules.expiryWarning(); }
  /** How passwords are hashed. */
  public PasswordsSection.Hashing hashing() { return PasswordsSection.Hashing.of(rules.hashing()); }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordPolicy p && p.rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "PasswordPolicy" + rules.toString().substring("PasswordRules".length());
  }

  /**
   * Builds a {@link PasswordPolicy}; every setter validates and names the rule and the value. Not thread-safe.
   *
   * @deprecated use {@link PasswordRules.Builder}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static final class Builder {
    private final PasswordRules.Builder rules;

    private Builder(PasswordRules.Builder rules) {
      this.rules = rules;
    }

    /** The fewest code points, 1 to 4096. */
    public Builder minLength(int n) {
      rules.minLength(n);
      return this;
    }

    /** The most code points, 1 to 4096 and at least {@code minLength}. */
    public Builder maxLength(int n) {
      rules.maxLength(n);
      return this;
    }

    /** The classes that must each appear; empty for none. */
    public Builder require(java.util.Collection<CharacterClass> classes) {
      rules.require(classes);
      return this;
    }

    /** How characters are classed. */
    public Builder characterSet(CharacterSet set) {
      rules.characterSet(set);
      return this;
    }

    /** Whether the bundled list of common passwords applies. */
    public Builder commonPasswordBlocklist(boolean on) {
      rules.commonPasswordBlocklist(on);
      return this;
    }

    /** Extra words refused as parts of passwords; each at least 3 characters. */
    public Builder blockedWords(java.util.Collection<String> words) {
      rules.blockedWords(words);
      return this;
    }

    /** Whether the user name, e-mail and site name must not appear. */
    public Builder contextWords(boolean on) {
      rules.contextWords(on);
      return this;
    }

    /** The longest run of one character: 0 (no limit) or 2 and more. */
    public Builder maxRepeat(int n) {
      rules.maxRepeat(n);
      return this;
    }

    /** The longest alphabetical, numerical or keyboard run: 0 (no limit) or 2 and more. */
    public Builder maxSequence(int n) {
      rules.maxSequence(n);
      return this;
    }

    /** How many previous passwords to refuse, 0 to 24. */
    public Builder historyDepth(int n) {
      rules.historyDepth(n);
      return this;
    }

    /** How long a password lasts; zero for no periodic rotation. */
    public Builder rotation(Duration d) {
      rules.rotation(d);
      return this;
    }

    /** How long before expiry the status turns {@code EXPIRING}. */
    public Builder expiryWarning(Duration d) {
      rules.expiryWarning(d);
      return this;
    }

    /** How passwords are hashed. */
    public Builder hashing(PasswordsSection.Hashing h) {
      rules.hashing(Objects.requireNonNull(h, "hashing").toPolicy());
      return this;
    }

    /** The policy; checks rules against each other. */
    public PasswordPolicy build() {
      return new PasswordPolicy(rules.build());
    }
  }
}
