package dev.pledge.security.password.internal;

/** Finds repeated and sequential runs in a password's code points. Stateless. */
public final class Runs {
  private static final String[] KEYBOARD_ROWS = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "!@#$%^&*()"};
  private static final int[] ROW = new int[128];
  private static final int[] COL = new int[128];

  static {
    java.util.Arrays.fill(ROW, -1);
    for (int r = 0; r < KEYBOARD_ROWS.length; r++) {
      for (int c = 0; c < KEYBOARD_ROWS[r].length(); c++) {
        ROW[KEYBOARD_ROWS[r].charAt(c)] = r;
        COL[KEYBOARD_ROWS[r].charAt(c)] = c;
      }
    }
  }

  private Runs() {}

  /** The longest run of one code point, upper and lower case counted alike ({@code aAaA} is 4). */
  public static int longestRepeat(int[] cps) {
    if (cps.length == 0) {
      return 0;
    }
    int best = 1;
    int run = 1;
    for (int i = 1; i < cps.length; i++) {
      run = fold(cps[i]) == fold(cps[i - 1]) ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return best;
  }

  /**
   * The longest run of characters that each follow the previous one, in one direction: alphabetical
   * ({@code abcd}, {@code DCBA}), numerical ({@code 1234}, {@code 9876}) or along a keyboard row
   * ({@code qwerty}, {@code 7890}).
   */
  public static int longestSequence(int[] cps) {
    if (cps.length == 0) {
      return 0;
    }
    int best = 1;
    int alpha = 1;
    int alphaDir = 0;
    int keys = 1;
    int keysDir = 0;
    for (int i = 1; i < cps.length; i++) {
      int a = fold(cps[i - 1]);
      int b = fold(cps[i]);
      int d = alphabetStep(a, b);
      if (d != 0 && d == alphaDir) {
        alpha++;
      } else {
        alpha = d == 0 ? 1 : 2;
        alphaDir = d;
      }
      int k = keyboardStep(a, b);
      if (k != 0 && k == keysDir) {
        keys++;
      } else {
        keys = k == 0 ? 1 : 2;
        keysDir = k;
      }
      best = Math.max(best, Math.max(alpha, keys));
    }
    return best;
  }

  private static int fold(int cp) {
    return cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : Character.toLowerCase(cp);
  }

  private static int alphabetStep(int a, int b) {
    boolean letters = Character.isLetter(a) && Character.isLetter(b);
    boolean digits = Character.isDigit(a) && Character.isDigit(b);
    if (!letters && !digits) {
      return 0;
    }
    int d = b - a;
    return d == 1 || d == -1 ? d : 0;
  }

  private static int keyboardStep(int a, int b) {
    if (a >= 128 || b >= 128 || ROW[a] < 0 || ROW[a] != ROW[b]) {
      return 0;
    }
    int d = COL[b] - COL[a];
    return d == 1 || d == -1 ? d : 0;
  }
}
