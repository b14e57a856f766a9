package dev.pledge.security.password;

import dev.pledge.core.policy.AllowZero;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code passwords} section of the policy document as it was typed before 0.2.0: the same keys,
 * defaults and validation as {@link PasswordsPolicy}, which replaces it. A loaded document still
 * answers {@code section(PasswordsSection.class)} by converting its {@link PasswordsPolicy}, and the
 * components' deprecated overloads accept this type by converting it with {@link #toPolicy()}.
 * Immutable and thread-safe.
 *
 * @param profile {@code document} (default) or {@code nist-800-63b}
 * @param minLength the fewest code points after NFKC normalization
 * @param maxLength the most code points (at least {@code minLength}, at most the hard cap 4096)
 * @param require the character classes that must each appear at least once
 * @param characterSet how characters are classed: {@code UNICODE} (default) or {@code ASCII}
 * @param blocklist whether the bundled list of 30,000 common passwords applies
 * @param blockedWords more words to refuse, such as the company's name (matched case-insensitively as parts)
 * @param contextWords whether the user name, e-mail and site name must not appear in the password
 * @param maxRepeat the longest run of one repeated character allowed ({@code 0}: no limit)
 * @param maxSequence the longest alphabetical, numerical or keyboard run allowed ({@code 0}: no limit)
 * @param history how many previous passwords a new one must differ from (P25)
 * @param rotation how long a password lasts ({@code 0s}: no periodic rotation) (P25)
 * @param expiryWarning how long before expiry the status turns {@code EXPIRING}
 * @param hashing how passwords are hashed (P23)
 * @param breachCheck the optional Have I Been Pwned range check
 * @deprecated every section type ends with {@code Policy}: use {@link PasswordsPolicy} (same components),
 *     {@code document.require(PasswordsPolicy.class)}, and the components' {@code from(PasswordsPolicy)}
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public record PasswordsSection(
    String profile,
    Integer minLength,
    Integer maxLength,
    List<CharacterClass> require,
    CharacterSet characterSet,
    Boolean blocklist,
    List<String> blockedWords,
    Boolean contextWords,
    Integer maxRepeat,
    Integer maxSequence,
    Integer history,
    @AllowZero Duration rotation,
    @AllowZero Duration expiryWarning,
    Hashing hashing,
    BreachCheck breachCheck) {

  /** Applies the profile's defaults to absent keys and validates every value, as {@link PasswordsPolicy} does. */
  public PasswordsSection {
    PasswordsPolicy p = new PasswordsPolicy(profile, minLength, maxLength, require, characterSet, blocklist,
        blockedWords, contextWords, maxRepeat, maxSequence, history, rotation, expiryWarning,
        hashing == null ? null : hashing.toPolicy(), breachCheck == null ? null : breachCheck.toPolicy());
    profile = p.profile();
    minLength = p.minLength();
    maxLength = p.maxLength();
    require = p.require();
    characterSet = p.characterSet();
    blocklist = p.blocklist();
    blockedWords = p.blockedWords();
    contextWords = p.contextWords();
    maxRepeat = p.maxRepeat();
    maxSequence = p.maxSequence();
    history = p.history();
    rotation = p.rotation();
    expiryWarning = p.expiryWarning();
    hashing = Hashing.of(p.hashing());
    breachCheck = BreachCheck.of(p.breachCheck());
  }

  /**
   * The same section as the type that replaces this one.
   *
   * @return the section as a {@link PasswordsPolicy}
   */
  public PasswordsPolicy toPolicy() {
    return new PasswordsPolicy(profile, minLength, maxLength, require, characterSet, blocklist, blockedWords,
        contextWords, maxRepeat, maxSequence, history, rotation, expiryWarning, hashing.toPolicy(),
        breachCheck.toPolicy());
  }

  /**
   * The section {@code policy} as this former type; how a loaded document answers a host that asks
   * for {@code PasswordsSection}.
   *
   * @param policy the {@code passwords} section
   * @return the same section as a {@code PasswordsSection}
   */
  public static PasswordsSection of(PasswordsPolicy policy) {
    return new PasswordsSection(policy.profile(), policy.minLength(), policy.maxLength(), policy.require(),
        policy.characterSet(), policy.blocklist(), policy.blockedWords(), policy.contextWords(), policy.maxRepeat(),
        policy.maxSequence(), policy.history(), policy.rotation(), policy.expiryWarning(),
        Hashing.of(policy.hashing()), BreachCheck.of(policy.breachCheck()));
  }

  /**
   * How passwords are hashed (P23).
   *
   * @param algorithm {@code BCRYPT} (default) or {@code ARGON2ID}
   * @param cost the bcrypt cost, 4 to 31 (default 12); each step doubles the work
   * @param longPasswords what happens to passwords over bcrypt's 72 bytes: {@code REJECT} (default) or {@code PREHASH}
   * @deprecated use {@link PasswordsPolicy.Hashing} (same components)
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public record Hashing(HashAlgorithm algorithm, Integer cost, LongPasswordMode longPasswords) {
    /** Applies defaults and validates, as {@link PasswordsPolicy.Hashing} does. */
    public Hashing {
      PasswordsPolicy.Hashing h = new PasswordsPolicy.Hashing(algorithm, cost, longPasswords);
      algorithm = h.algorithm();
      cost = h.cost();
      longPasswords = h.longPasswords();
    }

    /**
     * The same settings as the type that replaces this one.
     *
     * @return the settings as a {@link PasswordsPolicy.Hashing}
     */
    public PasswordsPolicy.Hashing toPolicy() {
      return new PasswordsPolicy.Hashing(algorithm, cost, longPasswords);
    }

    static Hashing of(PasswordsPolicy.Hashing h) {
      return new Hashing(h.algorithm(), h.cost(), h.longPasswords());
    }
  }

  /**
   * The Have I Been Pwned range check (off by default).
   *
   * @param enabled whether passwords are checked
   * @param baseUrl the range API's base URL (default {@code https://api.pwnedpasswords.com})
   * @param timeout how long one range request may take (default 2s)
   * @param failOpen whether passwords pass when the service cannot answer (default {@code false}: fail closed)
   * @param cacheTtl how long a fetched range is kept (default 1h)
   * @deprecated use {@link PasswordsPolicy.BreachCheck} (same components)
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public record BreachCheck(Boolean enabled, URI baseUrl, Duration timeout, Boolean failOpen, Duration cacheTtl) {
    /** Applies defaults and validates, as {@link PasswordsPolicy.BreachCheck} does. */
    public BreachCheck {
      PasswordsPolicy.BreachCheck b = new PasswordsPolicy.BreachCheck(enabled, baseUrl, timeout, failOpen, cacheTtl);
      enabled = b.enabled();
      baseUrl = b.baseUrl();
      timeout = b.timeout();
      failOpen = b.failOpen();
      cacheTtl = b.cacheTtl();
    }

    /**
     * The same settings as the type that replaces this one.
     *
     * @return the settings as a {@link PasswordsPolicy.BreachCheck}
     */
    public PasswordsPolicy.BreachCheck toPolicy() {
      return new PasswordsPolicy.BreachCheck(enabled, baseUrl, timeout, failOpen, cacheTtl);
    }

    static BreachCheck of(PasswordsPolicy.BreachCheck b) {
      return new BreachCheck(b.enabled(), b.baseUrl(), b.timeout(), b.failOpen(), b.cacheTtl());
    }
  }
}
