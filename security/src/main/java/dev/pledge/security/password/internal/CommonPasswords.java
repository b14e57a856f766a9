package dev.pledge.security.password.internal;

import dev.pledge.security.password.Blocklist;
import com.nulabinc.zxcvbn.StandardDictionaries;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bundled common-password list, read once from the zxcvbn artifact's frequency list
 * ({@code com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt}, one password per line, most
 * common first). Internal: use {@link Blocklist#common()}.
 */
public final class CommonPasswords implements Blocklist {
  /** The resource inside {@code com.nulab-inc:zxcvbn} that carries the list. */
  public static final String RESOURCE = "/com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt";

  private final Set<String> entries;

  private CommonPasswords(Set<String> entries) {
    this.entries = entries;
  }

  private static final class Holder {
    static final CommonPasswords INSTANCE = load();
  }

  /** The shared instance. */
  public static CommonPasswords instance() {
    return Holder.INSTANCE;
  }

  private static CommonPasswords load() {
    // zxcvbn's own loader reads the list, so it loads on the module path too: zxcvbn is a named
    // module there and does not open the package that holds the file to other modules.
    List<String> words;
    try {
      words = StandardDictionaries.PASSWORDS_LOADER.load().getFrequencies();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the common-password list " + RESOURCE
          + " from com.nulab-inc:zxcvbn: " + e.getMessage(), e);
    }
    Set<String> set = new HashSet<>(65_536);
    for (String w : words) {
      String s = w.strip();
      if (!s.isEmpty()) {
        set.add(s.toLowerCase(Locale.ROOT));
      }
    }
    return new CommonPasswords(set);
  }

  @Override
  public boolean contains(String lowerCased) {
    return entries.contains(lowerCased);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "Blocklist[common, " + entries.size() + " entries]";
  }
}
