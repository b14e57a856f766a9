package dev.pledge.security.password.internal;

import dev.pledge.security.password.Blocklist;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
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
    try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the common-password list " + RESOURCE
            + " is missing: is com.nulab-inc:zxcvbn on the class path?");
      }
      Set<String> set = new HashSet<>(65_536);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String s = line.strip();
        if (!s.isEmpty()) {
          set.add(s.toLowerCase(Locale.ROOT));
        }
      }
      return new CommonPasswords(set);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the common-password list " + RESOURCE, e);
    }
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
