package dev.pledge.core.time;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * Durations and calendar periods as people write them in a policy document.
 *
 * <h2>Grammar</h2>
 * <pre>
 *   duration := iso | term (sep term)*
 *   term     := number [space] unit          e.g. 5m, 120 minutes, 1.5h, 48 hours, 7d
 *   number   := digits ['.' digits]          no sign: a negative duration is never valid
 *   sep      := space | ',' | 'and'          e.g. "1h 30m", "1 hour, 30 minutes", "1h and 30m"
 *   unit     := ns | us | ms | s | sec | second(s) | m | min | minute(s) | h | hr | hour(s)
 *             | d | day(s) | w | wk | week(s)         (case-insensitive)
 *   iso      := ISO-8601, e.g. PT2H, P7D, PT1H30M
 * </pre>
 * A calendar period ({@link #parsePeriod}) takes {@code d}, {@code w}, {@code mo|month(s)} and
 * {@code y|yr|year(s)}, or ISO-8601 such as {@code P3M}: {@code 3 months} stays three calendar
 * months, never 90 days. A {@code Duration} never takes months or years, since their length varies;
 * a day in a {@code Duration} is exactly 24 hours.
 *
 * <p>Every rejected form throws {@link IllegalArgumentException} with a message that quotes the
 * input and says what is wrong. All methods are thread-safe and allocate only for the result.
 */
public final class Durations {

  private Durations() {}

  /**
   * Parses a non-negative duration.
   *
   * @throws IllegalArgumentException if the text is empty, negative, has an unknown or calendar unit,
   *     a fraction finer than a nanosecond, or overflows
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "duration");
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty duration (write e.g. 5m, 6 hours, 7d or PT2H)");
    }
    if (t.charAt(0) == '-' || t.charAt(0) == '+') {
      throw new IllegalArgumentException(quote(text) + ": a duration takes no sign; it must not be negative");
    }
    if (t.charAt(0) == 'P' || t.charAt(0) == 'p') {
      return parseIsoDuration(text, t);
    }
    long totalNanos = 0;
    long seen = 0;
    Scanner s = new Scanner(text, t);
    while (s.next()) {
      Unit unit = Unit.lookup(s.unit);
      if (unit == null) {
        throw new IllegalArgumentException(quote(text) + ": unknown unit '" + s.unit
            + "' (use ns, ms, s, m, h, d, w, their long names, or ISO-8601 such as PT2H)");
      }
      if (unit.calendar) {
        throw new IllegalArgumentException(quote(text) + ": '" + s.unit
            + "' is a calendar period whose length varies; write it where a period is expected, "
            + "or give the length in days");
      }
      if ((seen & (1L << unit.ordinal())) != 0) {
        throw new IllegalArgumentException(quote(text) + ": unit '" + s.unit + "' is given twice");
      }
      seen |= 1L << unit.ordinal();
      try {
        long nanos;
        if (s.number == null) {
          nanos = Math.multiplyExact(s.whole, unit.nanos);
        } else {
          BigDecimal exact = s.number.multiply(BigDecimal.valueOf(unit.nanos));
          if (exact.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(quote(text) + ": '" + s.number.toPlainString() + s.unit
                + "' is not a whole number of nanoseconds");
          }
          nanos = exact.longValueExact();
        }
        totalNanos = Math.addExact(totalNanos, nanos);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(quote(text) + ": too long (at most about 292 years)");
      }
    }
    return Duration.ofNanos(totalNanos);
  }

  /**
   * Parses a duration that must be greater than zero (a schedule interval, a response target).
   *
   * @throws IllegalArgumentException as {@link #parse}, and for a zero duration
   */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero()) {
      throw new IllegalArgumentException(quote(text) + ": must be greater than zero");
    }
    return d;
  }

  /**
   * Parses a calendar period greater than zero: {@code 3 months}, {@code 1 year}, {@code 2 weeks},
   * {@code 7d}, {@code P3M}.
   *
   * @throws IllegalArgumentException if the text is empty, zero, negative, has a fraction or a unit
   *     shorter than a day
   */
  public static Period parsePeriod(String text) {
    Objects.requireNonNull(text, "period");
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty period (write e.g. 3 months, 1 year, 7d or P3M)");
    }
    if (t.charAt(0) == '-' || t.charAt(0) == '+') {
      throw new IllegalArgumentException(quote(text) + ": a period takes no sign; it must not be negative");
    }
    Period p;
    if (t.charAt(0) == 'P' || t.charAt(0) == 'p') {
      try {
        p = Period.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(quote(text) + ": not an ISO-8601 period such as P3M or P1Y");
      }
      if (p.isNegative()) {
        throw new IllegalArgumentException(quote(text) + ": must not be negative");
      }
    } else {
      p = Period.ZERO;
      long seen = 0;
      Scanner s = new Scanner(text, t);
      while (s.next()) {
        Unit unit = Unit.lookup(s.unit);
        if (unit == null || (!unit.calendar && unit != Unit.DAY && unit != Unit.WEEK)) {
          String hint = "m".equals(s.unit) ? " ('m' means minutes; write 'mo' or 'months')" : "";
          throw new IllegalArgumentException(quote(text) + ": '" + s.unit
              + "' is not a calendar unit; a period takes d, w, mo or y" + hint);
        }
        if ((seen & (1L << unit.ordinal())) != 0) {
          throw new IllegalArgumentException(quote(text) + ": unit '" + s.unit + "' is given twice");
        }
        seen |= 1L << unit.ordinal();
        int n;
        try {
          if (s.number != null) {
            throw new ArithmeticException("fraction");
          }
          n = Math.toIntExact(s.whole);
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException(quote(text) + ": a period counts whole "
              + unit.name().toLowerCase(Locale.ROOT) + "s, got " + s.digits);
        }
        try {
          p = switch (unit) {
            case DAY -> p.plusDays(n);
            case WEEK -> p.plusDays(Math.multiplyExact(n, 7));
            case MONTH -> p.plusMonths(n);
            case YEAR -> p.plusYears(n);
            default -> throw new AssertionError(unit);
          };
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException(quote(text) + ": too long");
        }
      }
    }
    if (p.isZero()) {
      throw new IllegalArgumentException(quote(text) + ": must be greater than zero");
    }
    return p;
  }

  /**
   * Formats a duration in the shortest form this class parses back: {@code 2h}, {@code 1h30m},
   * {@code 7d}, {@code 250ms}, {@code 0s}.
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + duration);
    }
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    long days = seconds / 86_400;
    seconds %= 86_400;
    append(sb, days, "d");
    append(sb, seconds / 3600, "h");
    append(sb, (seconds % 3600) / 60, "m");
    append(sb, seconds % 60, "s");
    if (nanos != 0) {
      if (nanos % 1_000_000 == 0) {
        append(sb, nanos / 1_000_000, "ms");
      } else if (nanos % 1000 == 0) {
        append(sb, nanos / 1000, "us");
      } else {
        append(sb, nanos, "ns");
      }
    }
    return sb.toString();
  }

  /** Formats a period as words: {@code 3 months}, {@code 1 year 6 months}, {@code 7 days}. */
  public static String formatPeriod(Period period) {
    Objects.requireNonNull(period, "period");
    if (period.isZero()) {
      return "0 days";
    }
    StringBuilder sb = new StringBuilder();
    appendWord(sb, period.getYears(), "year");
    appendWord(sb, period.getMonths(), "month");
    appendWord(sb, period.getDays(), "day");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long n, String unit) {
    if (n != 0) {
      sb.append(n).append(unit);
    }
  }

  private static void appendWord(StringBuilder sb, int n, String unit) {
    if (n != 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(n).append(' ').append(unit).append(n == 1 ? "" : "s");
    }
  }

  private static Duration parseIsoDuration(String text, String t) {
    Duration d;
    try {
      d = Duration.parse(t);
    } catch (DateTimeParseException e) {
      String hint = t.toUpperCase(Locale.ROOT).matches("P\\d+[MY].*")
          ? " (months and years are calendar periods, not durations)"
          : " (write e.g. PT2H, PT5M or P7D)";
      throw new IllegalArgumentException(quote(text) + ": not an ISO-8601 duration" + hint);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(quote(text) + ": must not be negative");
    }
    return d;
  }

  private static String quote(String text) {
    return "'" + text + "'";
  }

  private enum Unit {
    NANO(1L, false, "ns", "nano", "nanos", "nanosecond", "nanoseconds"),
    MICRO(1_000L, false, "us", "\u00b5s", "micro", "micros", "microsecond", "microseconds"),
    MILLI(1_000_000L, false, "ms", "milli", "millis", "millisecond", "milliseconds"),
    SECOND(1_000_000_000L, false, "s", "sec", "secs", "second", "seconds"),
    MINUTE(60_000_000_000L, false, "m", "min", "mins", "minute", "minutes"),
    HOUR(3_600_000_000_000L, false, "h", "hr", "hrs", "hour", "hours"),
    DAY(86_400_000_000_000L, false, "d", "day", "days"),
    WEEK(604_800_000_000_000L, false, "w", "wk", "wks", "week", "weeks"),
    MONTH(0, true, "mo", "mos", "month", "months"),
    YEAR(0, true, "y", "yr", "yrs", "year", "years");

    final long nanos;
    final boolean calendar;
    final String[] names;

    Unit(long nanos, boolean calendar, String... names) {
      this.nanos = nanos;
      this.calendar = calendar;
      this.names = names;
    }

    private static final java.util.Map<String, Unit> BY_NAME = new java.util.HashMap<>();

    static {
      for (Unit u : values()) {
        for (String n : u.names) {
          BY_NAME.put(n, u);
        }
      }
    }

    static Unit lookup(String name) {
      Unit u = BY_NAME.get(name);
      return u != null ? u : BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Splits "1h 30m", "1 hour, 30 minutes" or "1h and 30m" into (number, unit) terms. */
  private static final class Scanner {
    private final String original;
    private final String t;
    private int i;
    private boolean any;
    /** The number when it has a fraction, else null. */
    BigDecimal number;
    /** The number when it is whole. */
    long whole;
    String digits;
    String unit;

    Scanner(String original, String t) {
      this.original = original;
      this.t = t;
    }

    boolean next() {
      skipSeparators();
      if (i >= t.length()) {
        if (!any) {
          throw new IllegalArgumentException(quote(original) + ": no duration found");
        }
        return false;
      }
      int start = i;
      while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException(quote(original) + ": expected a number at '" + t.substring(start)
            + "' (write e.g. 5m, 6 hours, 7d or PT2H)");
      }
      digits = t.substring(start, i);
      int dot = digits.indexOf('.');
      if (dot == 0 || dot == digits.length() - 1 || (dot > 0 && digits.indexOf('.', dot + 1) >= 0)) {
        throw new IllegalArgumentException(quote(original) + ": '" + digits + "' is not a number");
      }
      any = true;
      if (dot < 0 && digits.length() <= 18) {
        number = null;
        whole = Long.parseLong(digits);
      } else {
        number = new BigDecimal(digits);
        whole = 0;
      }
      while (i < t.length() && t.charAt(i) == ' ') {
        i++;
      }
      int unitStart = i;
      while (i < t.length() && (Character.isLetter(t.charAt(i)) || t.charAt(i) == '\u00b5')) {
        i++;
      }
      if (unitStart == i) {
        throw new IllegalArgumentException(quote(original) + ": '" + digits
            + "' needs a unit (write e.g. " + digits + "m, " + digits + " hours, " + digits + "d)");
      }
      unit = t.substring(unitStart, i);
      if (i < t.length() && !(t.charAt(i) == ' ' || t.charAt(i) == ',' || Character.isDigit(t.charAt(i)))) {
        throw new IllegalArgumentException(quote(original) + ": unexpected '" + t.charAt(i) + "'");
      }
      return true;
    }

    private void skipSeparators() {
      boolean first = i == 0;
      while (i < t.length()) {
        char c = t.charAt(i);
        if (c == ' ' || c == '\t') {
          i++;
        } else if (c == ',' && !first) {
          i++;
        } else if (!first && t.regionMatches(true, i, "and ", 0, 4)) {
          i += 4;
        } else {
          break;
        }
      }
    }
  }
}
