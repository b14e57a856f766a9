package dev.pledge.security.redis;

/**
 * Key names that keep every key of one script call in one Redis Cluster slot. Redis Cluster hashes
 * only a key's <em>hash tag</em> when it has one: the text between its first {@code {}} and the first
 * {@code }} after it, when that text is not empty; otherwise the whole key. A script may only touch
 * keys of one slot ({@code CROSSSLOT} otherwise), so keys used together must share a tag. Not an API.
 */
final class ClusterKeys {
  private ClusterKeys() {}

  /** The part of {@code key} that Redis Cluster hashes: its hash tag, or the whole key without one. */
  static String hashedPart(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return key.substring(open + 1, close);
      }
    }
    return key;
  }

  /** Whether {@code prefix} holds a complete, non-empty hash tag, which then decides the slot of any key it starts. */
  static boolean hasTag(String prefix) {
    int open = prefix.indexOf('{');
    if (open < 0) {
      return false;
    }
    int close = prefix.indexOf('}', open + 1);
    return close > open + 1;
  }

  /**
   * {@code prefix} made to decide the slot of every key it starts: itself when it holds a hash tag,
   * else wrapped in braces ({@code pledge:login:} becomes {@code {pledge:login:}}).
   *
   * @throws IllegalArgumentException when even the wrapped prefix has no tag (empty, or starting with {@code }})
   */
  static String taggedPrefix(String prefix, String field) {
    if (hasTag(prefix)) {
      return prefix;
    }
    String wrapped = "{" + prefix + "}";
    if (!hasTag(wrapped)) {
      throw new IllegalArgumentException(field + " must be a non-empty text that does not start with '}', got '"
          + prefix + "'");
    }
    return wrapped;
  }

  /**
   * A hash tag for one caller key, so that the keys {@code prefix + tag(key) + suffix} of one call share
   * a slot whatever {@code key} holds: {@code {key}}, except that an empty key and keys starting with
   * {@code }} or NUL (whose plain tag would be empty or could collide) get a NUL in front. Distinct keys
   * always give distinct tags.
   */
  static String tag(String key) {
    if (key.isEmpty() || key.charAt(0) == '}' || key.charAt(0) == '\u0000') {
      return "{\u0000" + key + "}";
    }
    return "{" + key + "}";
  }
}
