package dev.pledge.examples.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One numbered promise of PROMISES.md.
 *
 * @param number the promise's number, 1 to 40
 * @param area the heading it stands under, such as {@code Backups and disaster recovery}
 * @param text the promise
 */
public record Promise(int number, String area, String text) {

  /** Validates the promise. */
  public Promise {
    if (number < 1) {
      throw new IllegalArgumentException("promise number must be positive, got " + number);
    }
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(text, "text");
  }

  /** {@code P13}. */
  public String id() {
    return "P" + number;
  }

  /** Every promise, in order, from the copy of PROMISES.md bundled with the examples. */
  public static List<Promise> all() {
    try (InputStream in = Promise.class.getResourceAsStream("/promises.tsv")) {
      if (in == null) {
        throw new IllegalStateException("promises.tsv is missing from the class path");
      }
      List<Promise> out = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", 3);
        out.add(new Promise(Integer.parseInt(f[0].substring(1)), f[1], f[2]));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
