package dev.pledge.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS region codes Pledge knows (data: {@code aws-regions.txt} beside this class), so that a
 * policy naming a region no AWS region has ({@code eu-wset-1}) gets a warning with the likely one
 * (P1). Immutable and thread-safe.
 */
public final class AwsRegions {
  private static final List<String> CODES = load();

  private AwsRegions() {}

  /** The known region codes, sorted. */
  public static List<String> codes() {
    return CODES;
  }

  /** {@code "; did you mean 'x'?"} for the known code within two edits of {@code region}, or "". */
  public static String suggestion(String region) {
    String best = null;
    int bestDistance = 3;
    for (String c : CODES) {
      int d = distance(region, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** Edit distance with adjacent transpositions counted once (so eu-wset-1 is one edit from eu-west-1). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static List<String> load() {
    List<String> out = new ArrayList<>();
    try (InputStream in = AwsRegions.class.getResourceAsStream("aws-regions.txt")) {
      if (in == null) {
        throw new IllegalStateException("aws-regions.txt is missing from the pledge-core jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read aws-regions.txt from the pledge-core jar", e);
    }
    out.sort(null);
    return List.copyOf(out);
  }
}
