package dev.pledge.security.password;

import dev.pledge.security.password.internal.Runs;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks passwords against {@link PasswordRules} and reports every violation, not only the first
 * (P24, P25). Thread-safe and immutable; build once and share.
 *
 * <p>Order of work: input over {@link PasswordRules#HARD_CAP} UTF-16 units is refused with
 * {@link ViolationCode#EXCEEDS_HARD_CAP} alone, before any other work; unpaired surrogates and
 * control characters give {@link ViolationCode#ILLEGAL_CHARACTER}; the password is then
 * NFKC-normalized and its code points counted and classed; then runs, the blocklist, context words,
 * history (needs {@link #withHistoryHasher}) and the optional breach check. {@code null} is refused
 * with an {@link IllegalArgumentException}; the empty string is {@code TOO_SHORT}. No message, log line
 * or exception carries the password.
 */
public final class PasswordValidator {
  private final PasswordRules policy;
  private final Blocklist blocklist;
  private final PasswordHasher historyHasher;
  private final BreachChecker breachChecker;
  private final boolean failOpen;

  private PasswordValidator(PasswordRules policy, Blocklist blocklist, PasswordHasher historyHasher,
      BreachChecker breachChecker, boolean failOpen) {
    this.policy = policy;
    this.blocklist = blocklist;
    this.historyHasher = historyHasher;
    this.breachChecker = breachChecker;
    this.failOpen = failOpen;
  }

  /**
   * A validator for {@code rules}, with the bundled blocklist when the rules ask for it.
   *
   * @param rules the rules
   * @return the validator
   */
  public static PasswordValidator create(PasswordRules rules) {
    Objects.requireNonNull(rules, "rules");
    return new PasswordValidator(rules, rules.commonPasswordBlocklist() ? Blocklist.common() : null, null, null, false);
  }

  /**
   * A validator for {@code policy}, with the bundled blocklist when the policy asks for it.
   *
   * @param policy the rules under their former name
   * @return the validator
   * @deprecated use {@link #create(PasswordRules)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static PasswordValidator create(PasswordPolicy policy) {
    return create(Objects.requireNonNull(policy, "policy").toRules());
  }

  /**
   * The validator the {@code passwords} section states (P23-P25): its rules, the bundled blocklist
   * when the section asks for it, and the breach check of {@code breachCheck} when it is enabled
   * (with the system UTC clock).
   *
   * @param section the {@code passwords} section
   * @return the validator
   */
  public static PasswordValidator from(PasswordsPolicy section) {
    return builder(section).build();
  }

  /**
   * The validator the {@code passwords} section states, from the section's former type.
   *
   * @param section the {@code passwords} section
   * @return the validator
   * @deprecated use {@link #from(PasswordsPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static PasswordValidator from(PasswordsSection section) {
    return from(section.toPolicy());
  }

  /**
   * A builder pre-filled from the {@code passwords} section, to change one thing (a clock for the
   * breach check, a blocklist, a history hasher, another breach checker) before {@link Builder#build()}.
   *
   * @param section the {@code passwords} section
   * @return the builder
   */
  public static Builder builder(PasswordsPolicy section) {
    Builder b = builder(PasswordRules.from(section));
    b.breachCheck = section.breachCheck();
    return b;
  }

  /**
   * A builder pre-filled from the {@code passwords} section's former type.
   *
   * @param section the {@code passwords} section
   * @return the builder
   * @deprecated use {@link #builder(PasswordsPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Builder builder(PasswordsSection section) {
    return builder(section.toPolicy());
  }

  /**
   * A builder for a validator of {@code rules}, with the bundled blocklist when the rules ask for
   * it, no history hasher and no breach checker.
   *
   * @param rules the rules
   * @return the builder
   */
  public static Builder builder(PasswordRules rules) {
    return new Builder(Objects.requireNonNull(rules, "rules"));
  }

  /**
   * A builder for a validator of {@code policy}.
   *
   * @param policy the rules under their former name
   * @return the builder
   * @deprecated use {@link #builder(PasswordRules)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Builder builder(PasswordPolicy policy) {
    return builder(Objects.requireNonNull(policy, "policy").toRules());
  }

  /**
   * A builder holding this validator's policy, blocklist, history hasher and breach checker, to
   * change one of them.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = builder(policy);
    b.blocklist = blocklist;
    b.historyHasher = historyHasher;
    b.breachChecker = breachChecker;
    b.failOpen = failOpen;
    b.keepNoBlocklist = blocklist == null;
    return b;
  }

  /** Configures a {@link PasswordValidator}. Not thread-safe. */
  public static final class Builder {
    private final PasswordRules policy;
    private Blocklist blocklist;
    private PasswordHasher historyHasher;
    private BreachChecker breachChecker;
    private boolean failOpen;
    private PasswordsPolicy.BreachCheck breachCheck; // a section's settings, used by build() unless a checker was set
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private boolean keepNoBlocklist; // toBuilder of a validator without a blocklist

    private Builder(PasswordRules policy) {
      this.policy = policy;
    }

    /** Checks against {@code blocklist} instead of the bundled one. */
    public Builder blocklist(Blocklist blocklist) {
      this.blocklist = Objects.requireNonNull(blocklist, "blocklist");
      return this;
    }

    /** Checks {@link PasswordContext#previousHashes()} with {@code hasher} (P25). */
    public Builder historyHasher(PasswordHasher hasher) {
      this.historyHasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /**
     * Asks {@code checker} about breaches; when it cannot answer, the password passes if {@code
     * failOpen}, else gets {@link ViolationCode#BREACH_CHECK_UNAVAILABLE}. Replaces a section's breach check.
     */
    public Builder breachChecker(BreachChecker checker, boolean failOpen) {
      this.breachChecker = Objects.requireNonNull(checker, "checker");
      this.failOpen = failOpen;
      this.breachCheck = null;
      return this;
    }

    /** The clock of the section's breach check, its cache and circuit breaker (default the system UTC clock). */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The validator.
     *
     * @return the validator
     */
    public PasswordValidator build() {
      Blocklist list = blocklist != null ? blocklist
          : !keepNoBlocklist && policy.commonPasswordBlocklist() ? Blocklist.common() : null;
      BreachChecker checker = breachChecker;
      boolean open = failOpen;
      if (checker == null && breachCheck != null && breachCheck.enabled()) {
        checker = PwnedPasswords.builder(breachCheck).clock(clock).build();
        open = breachCheck.failOpen();
      }
      return new PasswordValidator(policy, list, historyHasher, checker, open);
    }
  }

  /** A copy using {@code blocklist} instead of the bundled one. */
  public PasswordValidator withBlocklist(Blocklist blocklist) {
    return new PasswordValidator(policy, Objects.requireNonNull(blocklist, "blocklist"), historyHasher, breachChecker, failOpen);
  }

  /** A copy that checks {@link PasswordContext#previousHashes()} with {@code hasher} (P25). */
  public PasswordValidator withHistoryHasher(PasswordHasher hasher) {
    return new PasswordValidator(policy, blocklist, Objects.requireNonNull(hasher, "hasher"), breachChecker, failOpen);
  }

  /**
   * A copy that asks {@code checker} about breaches; when it cannot answer, the password passes if
   * {@code failOpen}, else gets {@link ViolationCode#BREACH_CHECK_UNAVAILABLE}.
   */
  public PasswordValidator withBreachChecker(BreachChecker checker, boolean failOpen) {
    return new PasswordValidator(policy, blocklist, historyHasher, Objects.requireNonNull(checker, "checker"), failOpen);
  }

  /**
   * The rules this validator enforces.
   *
   * @return the rules
   */
  public PasswordRules rules() {
    return policy;
  }

  /**
   * The rules this validator enforces, under their former name.
   *
   * @return the rules as a {@link PasswordPolicy}
   * @deprecated use {@link #rules()}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public PasswordPolicy policy() {
    return PasswordPolicy.of(policy);
  }

  /** Validates {@code password} with no account context. */
  public ValidationResult validate(CharSequence password) {
    return validate(password, PasswordContext.NONE);
  }

  /**
   * Validates {@code password} for the account described by {@code context}.
   *
   * @throws IllegalArgumentException when {@code password} is null, or when the context has previous
   *     hashes but no history hasher was given
   */
  public ValidationResult validate(CharSequence password, PasswordContext context) {
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    Objects.requireNonNull(context, "context");
    int rawLength = password.length();
    if (rawLength > PasswordRules.HARD_CAP) {
      return new ValidationResult(List.of(Violation.of(ViolationCode.EXCEEDS_HARD_CAP,
          "cap", PasswordRules.HARD_CAP, "actual", rawLength)));
    }
    List<Violation> out = new ArrayList<>(4);
    boolean ascii = true;
    int unpaired = 0;
    int controls = 0;
    for (int i = 0; i < rawLength; i++) {
      char c = password.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        controls++;
      } else if (c >= 0x80) {
        ascii = false;
        if (Character.isHighSurrogate(c) && i + 1 < rawLength && Character.isLowSurrogate(password.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          unpaired++;
        } else if (Character.getType(c) == Character.CONTROL) {
          controls++;
        }
      }
    }
    if (unpaired > 0) {
      out.add(Violation.of(ViolationCode.ILLEGAL_CHARACTER, "kind", "unpaired surrogate", "count", unpaired));
    }
    if (controls > 0) {
      out.add(Violation.of(ViolationCode.ILLEGAL_CHARACTER, "kind", "control character", "count", controls));
    }
    String s = ascii ? password.toString() : Normalizer.normalize(password, Normalizer.Form.NFKC);
    int[] cps;
    if (ascii) {
      cps = new int[s.length()];
      for (int i = 0; i < cps.length; i++) {
        cps[i] = s.charAt(i);
      }
    } else {
      cps = s.codePoints().toArray();
    }
    int n = cps.length;
    if (n < policy.minLength()) {
      out.add(Violation.of(ViolationCode.TOO_SHORT, "min", policy.minLength(), "actual", n));
    }
    if (n > policy.maxLength()) {
      out.add(Violation.of(ViolationCode.TOO_LONG, "max", policy.maxLength(), "actual", n));
    }
    if (policy.hashing().algorithm() == HashAlgorithm.BCRYPT
        && policy.hashing().longPasswords() == LongPasswordMode.REJECT) {
      int bytes = utf8Length(cps);
      if (bytes > PasswordHasher.BCRYPT_MAX_BYTES) {
        out.add(Violation.of(ViolationCode.TOO_LONG_FOR_HASH, "maxBytes", PasswordHasher.BCRYPT_MAX_BYTES, "actual", bytes));
      }
    }
    if (!policy.required().isEmpty()) {
      classes(cps, out);
    }
    if (policy.maxRepeat() > 0) {
      int r = Runs.longestRepeat(cps);
      if (r > policy.maxRepeat()) {
        out.add(Violation.of(ViolationCode.REPEATED_CHARACTERS, "max", policy.maxRepeat(), "actual", r));
      }
    }
    if (policy.maxSequence() > 0) {
      int r = Runs.longestSequence(cps);
      if (r > policy.maxSequence()) {
        out.add(Violation.of(ViolationCode.SEQUENCE, "max", policy.maxSequence(), "actual", r));
      }
    }
    String lower = null;
    if (blocklist != null || !policy.blockedWords().isEmpty() || policy.contextWords()) {
      lower = s.toLowerCase(Locale.ROOT);
    }
    if (blocklist != null && isCommon(lower)) {
      out.add(Violation.of(ViolationCode.COMMON_PASSWORD));
    }
    for (String w : policy.blockedWords()) {
      if (lower.contains(w)) {
        out.add(Violation.of(ViolationCode.BLOCKED_WORD));
        break;
      }
    }
    if (policy.contextWords()) {
      context(lower, context, out);
    }
    List<String> history = context.previousHashes();
    if (!history.isEmpty() && policy.historyDepth() > 0) {
      if (historyHasher == null) {
        throw new IllegalArgumentException("the context has previous hashes but the validator has no history hasher; use withHistoryHasher");
      }
      int depth = Math.min(policy.historyDepth(), history.size());
      for (int i = 0; i < depth; i++) {
        if (unpaired == 0 && historyHasher.verify(s, history.get(i))) {
          out.add(Violation.of(ViolationCode.REUSED, "depth", policy.historyDepth()));
          break;
        }
      }
    }
    if (breachChecker != null && unpaired == 0) {
      try {
        long seen = breachChecker.timesSeen(s);
        if (seen > 0) {
          out.add(Violation.of(ViolationCode.BREACHED, "count", seen));
        }
      } catch (PasswordPolicyException e) {
        if (!failOpen) {
          out.add(Violation.of(ViolationCode.BREACH_CHECK_UNAVAILABLE));
        }
      }
    }
    return new ValidationResult(out);
  }

  private boolean isCommon(String lower) {
    if (blocklist.contains(lower)) {
      return true;
    }
    // "Monkey123!" is "monkey" with the digits and symbols people add to pass composition rules
    int start = 0;
    int end = lower.length();
    while (start < end && !Character.isLetter(lower.charAt(start))) {
      start++;
    }
    while (end > start && !Character.isLetter(lower.charAt(end - 1))) {
      end--;
    }
    return (start > 0 || end < lower.length()) && end - start >= 4 && blocklist.contains(lower.substring(start, end));
  }

  private void classes(int[] cps, List<Violation> out) {
    boolean upper = false;
    boolean lowerCase = false;
    boolean digit = false;
    boolean symbol = false;
    boolean asciiOnly = policy.characterSet() == CharacterSet.ASCII;
    for (int cp : cps) {
      if (asciiOnly || cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z') {
          upper = true;
        } else if (cp >= 'a' && cp <= 'z') {
          lowerCase = true;
        } else if (cp >= '0' && cp <= '9') {
          digit = true;
        } else {
          symbol = true;
        }
      } else if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
        upper = true;
      } else if (Character.isLowerCase(cp)) {
        lowerCase = true;
      } else if (Character.isDigit(cp)) {
        digit = true;
      } else if (!Character.isLetter(cp)) {
        symbol = true;
      }
    }
    if (policy.required().contains(CharacterClass.UPPER) && !upper) {
      out.add(Violation.of(ViolationCode.MISSING_UPPERCASE, "min", 1));
    }
    if (policy.required().contains(CharacterClass.LOWER) && !lowerCase) {
      out.add(Violation.of(ViolationCode.MISSING_LOWERCASE, "min", 1));
    }
    if (policy.required().contains(CharacterClass.DIGIT) && !digit) {
      out.add(Violation.of(ViolationCode.MISSING_DIGIT, "min", 1));
    }
    if (policy.required().contains(CharacterClass.SYMBOL) && !symbol) {
      out.add(Violation.of(ViolationCode.MISSING_SYMBOL, "min", 1));
    }
  }

  private static void context(String lower, PasswordContext c, List<Violation> out) {
    if (containsWord(lower, c.username())) {
      out.add(Violation.of(ViolationCode.CONTAINS_CONTEXT_WORD, "field", "username"));
    }
    if (c.email() != null) {
      String e = c.email();
      int at = e.indexOf('@');
      String local = at < 0 ? e : e.substring(0, at);
      boolean hit = containsWord(lower, local);
      for (String part : local.split("[._+\\-]")) {
        hit |= containsWord(lower, part);
      }
      if (at >= 0) {
        String domain = e.substring(at + 1);
        int dot = domain.indexOf('.');
        hit |= containsWord(lower, dot < 0 ? domain : domain.substring(0, dot));
      }
      if (hit) {
        out.add(Violation.of(ViolationCode.CONTAINS_CONTEXT_WORD, "field", "email"));
      }
    }
    if (c.siteName() != null) {
      boolean hit = containsWord(lower, c.siteName());
      for (String part : c.siteName().split("[\\s._\\-]+")) {
        hit |= containsWord(lower, part);
      }
      if (hit) {
        out.add(Violation.of(ViolationCode.CONTAINS_CONTEXT_WORD, "field", "site name"));
      }
    }
    for (String w : c.otherWords()) {
      if (containsWord(lower, w)) {
        out.add(Violation.of(ViolationCode.CONTAINS_CONTEXT_WORD, "field", "personal word"));
        break;
      }
    }
  }

  private static boolean containsWord(String lower, String word) {
    if (word == null) {
      return false;
    }
    String w = word.strip();
    if (w.length() < 3) {
      return false;
    }
    boolean ascii = true;
    for (int i = 0; i < w.length() && ascii; i++) {
      ascii = w.charAt(i) < 0x80;
    }
    w = (ascii ? w : Normalizer.normalize(w, Normalizer.Form.NFKC)).toLowerCase(Locale.ROOT);
    return w.length() >= 3 && lower.contains(w);
  }

  private static int utf8Length(int[] cps) {
    int bytes = 0;
    for (int cp : cps) {
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "PasswordValidator[" + policy + ", blocklist=" + blocklist + ", history=" + (historyHasher != null)
        + ", breachCheck=" + (breachChecker != null ? (failOpen ? "fail-open" : "fail-closed") : "off") + "]";
  }
}
