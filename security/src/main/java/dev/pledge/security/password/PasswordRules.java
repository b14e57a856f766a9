package dev.pledge.security.password;

import dev.pledge.core.policy.PolicyWarning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The rules a password must follow and how long it lasts (P24, P25), built in code or from the
 * policy document's {@code passwords} section ({@link PasswordsPolicy}). Immutable and thread-safe.
 * Called {@code PasswordPolicy} before 0.2.0 (kept, deprecated, until its removal): renamed so that
 * every {@code ...Policy} type is a section of the policy document.
 *
 * <pre>{@code
 * PasswordRules rules = PasswordRules.builder(PasswordProfile.NIST_800_63B).minLength(16).build();
 * ValidationResult r = PasswordValidator.create(rules).validate(password, PasswordContext.of("ada"));
 * }</pre>
 */
public final class PasswordRules {
  /** Input longer than this many UTF-16 units is refused before any other work. */
  public static final int HARD_CAP = 4096;
  /** NIST SP 800-63B: verifiers SHALL permit at least 64 characters. */
  public static final int NIST_MIN_MAX_LENGTH = 64;

  private final PasswordProfile profile;
  private final int minLength;
  private final int maxLength;
  private final Set<CharacterClass> required;
  private final CharacterSet characterSet;
  private final boolean commonPasswordBlocklist;
  private final List<String> blockedWords;
  private final boolean contextWords;
  private final int maxRepeat;
  private final int maxSequence;
  private final int historyDepth;
  private final Duration rotation;
  private final Duration expiryWarning;
  private final PasswordsPolicy.Hashing hashing;

  private PasswordRules(Builder b) {
    this.profile = b.profile;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.required = b.required.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.required));
    this.characterSet = b.characterSet;
    this.commonPasswordBlocklist = b.commonPasswordBlocklist;
    this.blockedWords = List.copyOf(b.blockedWords);
    this.contextWords = b.contextWords;
    this.maxRepeat = b.maxRepeat;
    this.maxSequence = b.maxSequence;
    this.historyDepth = b.historyDepth;
    this.rotation = b.rotation;
    this.expiryWarning = b.expiryWarning;
    this.hashing = b.hashing;
  }

  /** The document profile: 12+ characters, four classes, 30-day rotation (P24, P25). */
  public static PasswordRules document() {
    return of(PasswordProfile.DOCUMENT);
  }

  /** The NIST SP 800-63B profile: 15+ characters, no composition rules, no periodic rotation. */
  public static PasswordRules nist80063b() {
    return of(PasswordProfile.NIST_800_63B);
  }

  /** The rules of {@code profile} with its defaults. */
  public static PasswordRules of(PasswordProfile profile) {
    return builder(profile).build();
  }

  /** A builder starting from {@code profile}'s defaults. */
  public static Builder builder(PasswordProfile profile) {
    return new Builder(Objects.requireNonNull(profile, "profile"));
  }

  /**
   * The rules the document's {@code passwords} section states.
   *
   * @param s the {@code passwords} section
   * @return the rules
   */
  public static PasswordRules from(PasswordsPolicy s) {
    return builder(PasswordProfile.fromId(s.profile())).minLength(s.minLength()).maxLength(s.maxLength())
        .require(s.require()).characterSet(s.characterSet()).commonPasswordBlocklist(s.blocklist())
        .blockedWords(s.blockedWords()).contextWords(s.contextWords()).maxRepeat(s.maxRepeat())
        .maxSequence(s.maxSequence()).historyDepth(s.history()).rotation(s.rotation())
        .expiryWarning(s.expiryWarning()).hashing(s.hashing()).build();
  }

  /** A builder holding these rules. */
  public Builder toBuilder() {
    return builder(profile).minLength(minLength).maxLength(maxLength).require(required)
        .characterSet(characterSet).commonPasswordBlocklist(commonPasswordBlocklist).blockedWords(blockedWords)
        .contextWords(contextWords).maxRepeat(maxRepeat).maxSequence(maxSequence).historyDepth(historyDepth)
        .rotation(rotation).expiryWarning(expiryWarning).hashing(hashing);
  }

  /**
   * The rules that contradict a SHALL or SHALL NOT of NIST SP 800-63B, each as a
   * warning naming the rule ({@code nist-800-63b/composition}, {@code /rotation}, {@code /blocklist},
   * {@code /max-length}, {@code /min-length}); {@code prefix} is the key path of the section.
   */
  public List<PolicyWarning> nistWarnings(String prefix) {
    List<PolicyWarning> w = new ArrayList<>();
    if (!required.isEmpty()) {
      w.add(new PolicyWarning(prefix + ".require", "nist-800-63b/composition",
          "NIST SP 800-63B 3.1.1.2: verifiers SHALL NOT impose composition rules such as requiring "
              + required.size() + " character classes; prefer length"));
    }
    if (!rotation.isZero()) {
      w.add(new PolicyWarning(prefix + ".rotation", "nist-800-63b/rotation",
          "NIST SP 800-63B 3.1.1.2: verifiers SHALL NOT require periodic password changes (here every "
              + rotation.toDays() + " days); force a change on evidence of compromise instead (P30)"));
    }
    if (!commonPasswordBlocklist && blockedWords.isEmpty()) {
      w.add(new PolicyWarning(prefix + ".blocklist", "nist-800-63b/blocklist",
          "NIST SP 800-63B 3.1.1.2: verifiers SHALL compare passwords against a blocklist of common passwords"));
    }
    if (maxLength < NIST_MIN_MAX_LENGTH) {
      w.add(new PolicyWarning(prefix + ".maxLength", "nist-800-63b/max-length",
          "NIST SP 800-63B 3.1.1.2: verifiers SHALL permit at least 64 characters, this policy stops at " + maxLength));
    }
    if (minLength < 8) {
      w.add(new PolicyWarning(prefix + ".minLength", "nist-800-63b/min-length",
          "NIST SP 800-63B 3.1.1.2: passwords SHALL be at least 8 characters (15 without a second factor), got " + minLength));
    }
    return List.copyOf(w);
  }

  /** The profile the rules started from. */
  public PasswordProfile profile() { return profile; }
  /** The fewest code points, counted after NFKC normalization. */
  public int minLength() { return minLength; }
  /** The most code points, counted after NFKC normalization. */
  public int maxLength() { return maxLength; }
  /** The character classes that must each appear at least once. */
  public Set<CharacterClass> required() { return required; }
  /** How characters are put into classes. */
  public CharacterSet characterSet() { return characterSet; }
  /** Whether the bundled list of common passwords applies. */
  public boolean commonPasswordBlocklist() { return commonPasswordBlocklist; }
  /** Extra words refused as parts of passwords, lower-cased. */
  public List<String> blockedWords() { return blockedWords; }
  /** Whether the account's user name, e-mail and site name must not appear. */
  public boolean contextWords() { return contextWords; }
  /** The longest run of one character allowed; 0 for no limit. */
  public int maxRepeat() { return maxRepeat; }
  /** The longest sequential run allowed; 0 for no limit. */
  public int maxSequence() { return maxSequence; }
  /** How many previous passwords a new one must differ from. */
  public int historyDepth() { return historyDepth; }
  /** How long a password lasts; zero for no periodic rotation. */
  public Duration rotation() { return rotation; }
  /** How long before expiry the status turns {@code EXPIRING}. */
  public Duration expiryWarning() { return expiryWarning; }
  /** How passwords are hashed. */
  public PasswordsPolicy.Hashing hashing() { return hashing; }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordRules p && p.toString().equals(toString()) && p.blockedWords.equals(blockedWords);
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "PasswordRules[profile=" + profile.id() + ", length=" + minLength + ".." + maxLength
        + ", require=" + required + ", characterSet=" + characterSet + ", blocklist=" + commonPasswordBlocklist
        + ", blockedWords=" + blockedWords.size() + ", contextWords=" + contextWords + ", maxRepeat=" + maxRepeat
        + ", maxSequence=" + maxSequence + ", history=" + historyDepth + ", rotation=" + rotation
        + ", expiryWarning=" + expiryWarning + ", hashing=" + hashing + "]";
  }

  /** Builds {@link PasswordRules}; every setter validates and names the rule and the value. Not thread-safe. */
  public static final class Builder {
    private final PasswordProfile profile;
    private int minLength;
    private int maxLength = 128;
    private Set<CharacterClass> required;
    private CharacterSet characterSet = CharacterSet.UNICODE;
    private boolean commonPasswordBlocklist = true;
    private List<String> blockedWords = List.of();
    private boolean contextWords = true;
    private int maxRepeat = 3;
    private int maxSequence = 3;
    private int historyDepth;
    private Duration rotation;
    private Duration expiryWarning = Duration.ofDays(7);
    private PasswordsPolicy.Hashing hashing = new PasswordsPolicy.Hashing(null, null, null);

    private Builder(PasswordProfile profile) {
      this.profile = profile;
      if (profile == PasswordProfile.DOCUMENT) {
        minLength = 12;
        required = EnumSet.allOf(CharacterClass.class);
        historyDepth = 5;
        rotation = Duration.ofDays(30);
      } else {
        minLength = 15;
        required = EnumSet.noneOf(CharacterClass.class);
        historyDepth = 5;
        rotation = Duration.ZERO;
      }
    }

    /** The fewest code points, 1 to 4096. */
    public Builder minLength(int n) {
      if (n < 1 || n > HARD_CAP) {
        throw new IllegalArgumentException("minLength must be between 1 and " + HARD_CAP + ", got " + n);
      }
      this.minLength = n;
      return this;
    }

    /** The most code points, 1 to 4096 and at least {@code minLength}. */
    public Builder maxLength(int n) {
      if (n < 1 || n > HARD_CAP) {
        throw new IllegalArgumentException("maxLength must be between 1 and " + HARD_CAP + ", got " + n);
      }
      this.maxLength = n;
      return this;
    }

    /** The classes that must each appear; empty for none. */
    public Builder require(java.util.Collection<CharacterClass> classes) {
      Objects.requireNonNull(classes, "require");
      for (CharacterClass c : classes) {
        if (c == null) {
          throw new IllegalArgumentException("require must not contain an empty entry");
        }
      }
      this.required = classes.isEmpty() ? EnumSet.noneOf(CharacterClass.class) : EnumSet.copyOf(classes);
      return this;
    }

    /** How characters are classed. */
    public Builder characterSet(CharacterSet set) {
      this.characterSet = Objects.requireNonNull(set, "characterSet");
      return this;
    }

    /** Whether the bundled list of common passwords applies. */
    public Builder commonPasswordBlocklist(boolean on) {
      this.commonPasswordBlocklist = on;
      return this;
    }

    /** Extra words refused as parts of passwords; each at least 3 characters. */
    public Builder blockedWords(java.util.Collection<String> words) {
      List<String> out = new ArrayList<>();
      for (String w : Objects.requireNonNull(words, "blockedWords")) {
        if (w == null || w.strip().length() < 3) {
          throw new IllegalArgumentException("blockedWords entries must have at least 3 characters, got '" + w + "'");
        }
        out.add(java.text.Normalizer.normalize(w.strip(), java.text.Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
      }
      this.blockedWords = out;
      return this;
    }

    /** Whether the user name, e-mail and site name must not appear. */
    public Builder contextWords(boolean on) {
      this.contextWords = on;
      return this;
    }

    /** The longest run of one character: 0 (no limit) or 2 and more. */
    public Builder maxRepeat(int n) {
      if (n < 0 || n == 1) {
        throw new IllegalArgumentException("maxRepeat must be 0 (no limit) or at least 2, got " + n);
      }
      this.maxRepeat = n;
      return this;
    }

    /** The longest alphabetical, numerical or keyboard run: 0 (no limit) or 2 and more. */
    public Builder maxSequence(int n) {
      if (n < 0 || n == 1) {
        throw new IllegalArgumentException("maxSequence must be 0 (no limit) or at least 2, got " + n);
      }
      this.maxSequence = n;
      return this;
    }

    /** How many previous passwords to refuse, 0 to 24. */
    public Builder historyDepth(int n) {
      if (n < 0 || n > 24) {
        throw new IllegalArgumentException("history must be between 0 and 24, got " + n);
      }
      this.historyDepth = n;
      return this;
    }

    /** How long a password lasts; zero for no periodic rotation. */
    public Builder rotation(Duration d) {
      Objects.requireNonNull(d, "rotation");
      if (d.isNegative()) {
        throw new IllegalArgumentException("rotation must not be negative, got " + d);
      }
      this.rotation = d;
      return this;
    }

    /** How long before expiry the status turns {@code EXPIRING}. */
    public Builder expiryWarning(Duration d) {
      Objects.requireNonNull(d, "expiryWarning");
      if (d.isNegative()) {
        throw new IllegalArgumentException("expiryWarning must not be negative, got " + d);
      }
      this.expiryWarning = d;
      return this;
    }

    /** How passwords are hashed. */
    public Builder hashing(PasswordsPolicy.Hashing h) {
      this.hashing = Objects.requireNonNull(h, "hashing");
      return this;
    }

    /** The rules; checks them against each other. */
    public PasswordRules build() {
      if (maxLength < minLength) {
        throw new IllegalArgumentException("maxLength (" + maxLength + ") must be at least minLength (" + minLength + ")");
      }
      if (required.size() > minLength) {
        throw new IllegalArgumentException("minLength (" + minLength + ") is too short for the " + required.size()
            + " required character classes");
      }
      if (!rotation.isZero() && expiryWarning.compareTo(rotation) >= 0) {
        throw new IllegalArgumentException("expiryWarning (" + expiryWarning + ") must be shorter than rotation (" + rotation + ")");
      }
      return new PasswordRules(this);
    }
  }
}
