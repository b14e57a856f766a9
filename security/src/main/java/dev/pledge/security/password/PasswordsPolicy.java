package dev.pledge.security.password;

import dev.pledge.core.policy.AllowZero;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code passwords} section of the policy document (P23-P25, P30), with every absent key filled
 * in from the chosen {@code profile}. Bound by the policy loader; bind the components with {@link
 * PasswordValidator#from(PasswordsPolicy)}, {@link PasswordRotation#from(PasswordsPolicy)} and {@link
 * PasswordHasher#from(PasswordsPolicy.Hashing, dev.pledge.core.Secret)}, or turn it into {@link
 * PasswordRules} with {@link PasswordRules#from(PasswordsPolicy)}. Immutable and thread-safe.
 * Replaces {@code PasswordsSection} (0.1.x).
 *
 * <pre>{@code
 * passwords:
 *   profile: document          # or nist-800-63b
 *   minLength: 12
 *   require: [UPPER, LOWER, DIGIT, SYMBOL]
 *   rotation: 30d              # 0s: no periodic rotation
 *   hashing: {algorithm: BCRYPT, cost: 12, longPasswords: REJECT}
 * }</pre>
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
 */
public record PasswordsPolicy(
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

  /** Applies the profile's defaults to absent keys and validates every value. */
  public PasswordsPolicy {
    PasswordProfile p = PasswordProfile.fromId(profile == null ? PasswordProfile.DOCUMENT.id() : profile);
    PasswordRules d = PasswordRules.of(p);
    profile = p.id();
    minLength = minLength == null ? d.minLength() : minLength;
    maxLength = maxLength == null ? d.maxLength() : maxLength;
    require = require == null ? List.copyOf(d.required()) : List.copyOf(require);
    characterSet = characterSet == null ? d.characterSet() : characterSet;
    blocklist = blocklist == null ? d.commonPasswordBlocklist() : blocklist;
    blockedWords = blockedWords == null ? List.copyOf(d.blockedWords()) : List.copyOf(blockedWords);
    contextWords = contextWords == null ? d.contextWords() : contextWords;
    maxRepeat = maxRepeat == null ? d.maxRepeat() : maxRepeat;
    maxSequence = maxSequence == null ? d.maxSequence() : maxSequence;
    history = history == null ? d.historyDepth() : history;
    rotation = rotation == null ? d.rotation() : rotation;
    expiryWarning = expiryWarning == null ? d.expiryWarning() : expiryWarning;
    hashing = hashing == null ? new Hashing(null, null, null) : hashing;
    breachCheck = breachCheck == null ? new BreachCheck(null, null, null, null, null) : breachCheck;
    // the builder validates every rule with messages that name the key and the value
    PasswordRules.builder(p).minLength(minLength).maxLength(maxLength).require(require)
        .characterSet(characterSet).commonPasswordBlocklist(blocklist).blockedWords(blockedWords)
        .contextWords(contextWords).maxRepeat(maxRepeat).maxSequence(maxSequence).historyDepth(history)
        .rotation(rotation).expiryWarning(expiryWarning).build();
  }

  /**
   * How passwords are hashed (P23).
   *
   * @param algorithm {@code BCRYPT} (default) or {@code ARGON2ID}
   * @param cost the bcrypt cost, 4 to 31 (default 12); each step doubles the work
   * @param longPasswords what happens to passwords over bcrypt's 72 bytes: {@code REJECT} (default) or {@code PREHASH}
   */
  public record Hashing(HashAlgorithm algorithm, Integer cost, LongPasswordMode longPasswords) {
    /** Applies defaults and validates. */
    public Hashing {
      algorithm = algorithm == null ? HashAlgorithm.BCRYPT : algorithm;
      cost = cost == null ? 12 : cost;
      longPasswords = longPasswords == null ? LongPasswordMode.REJECT : longPasswords;
      if (cost < 4 || cost > 31) {
        throw new IllegalArgumentException("cost must be between 4 and 31, got " + cost);
      }
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
   */
  public record BreachCheck(Boolean enabled, URI baseUrl, Duration timeout, Boolean failOpen, Duration cacheTtl) {
    /** Applies defaults and validates. */
    public BreachCheck {
      enabled = enabled != null && enabled;
      baseUrl = baseUrl == null ? URI.create("https://api.pwnedpasswords.com") : baseUrl;
      timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
      failOpen = failOpen != null && failOpen;
      cacheTtl = cacheTtl == null ? Duration.ofHours(1) : cacheTtl;
      if (baseUrl.getScheme() == null || !(baseUrl.getScheme().equals("https") || baseUrl.getScheme().equals("http"))) {
        throw new IllegalArgumentException("baseUrl must be an http(s) URL, got '" + baseUrl + "'");
      }
    }
  }
}
