package dev.pledge.sla.severity;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/** A parsed condition on one structured field of a report. Immutable and thread-safe. */
final class Condition {
  private enum Op { EQ, NE, GE, GT, LE, LT }

  private final String field;
  private final Op op;
  private final String text;
  private final BigDecimal number;

  private Condition(String field, Op op, String text, BigDecimal number) {
    this.field = field;
    this.op = op;
    this.text = text;
    this.number = number;
  }

  static Condition parse(String rule, String field, String condition) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("rule '" + rule + "': a condition names a blank field");
    }
    if (condition == null || condition.isBlank()) {
      throw new IllegalArgumentException("rule '" + rule + "': condition on '" + field + "' is empty");
    }
    String c = condition.strip();
    Op op = Op.EQ;
    String[][] ops = {{">=", "GE"}, {"<=", "LE"}, {"!=", "NE"}, {">", "GT"}, {"<", "LT"}, {"=", "EQ"}};
    for (String[] o : ops) {
      if (c.startsWith(o[0])) {
        op = Op.valueOf(o[1]);
        c = c.substring(o[0].length()).strip();
        break;
      }
    }
    if (c.isEmpty()) {
      throw new IllegalArgumentException("rule '" + rule + "': condition on '" + field + "' has no value: '"
          + condition + "'");
    }
    BigDecimal n = null;
    if (op == Op.GE || op == Op.GT || op == Op.LE || op == Op.LT) {
      try {
        n = new BigDecimal(c);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("rule '" + rule + "': condition on '" + field + "' compares with '"
            + c + "', which is not a number");
      }
    }
    return new Condition(field, op, c.toLowerCase(Locale.ROOT), n);
  }

  boolean holds(Map<String, String> fields) {
    String v = fields.get(field);
    if (v == null) {
      return false;
    }
    switch (op) {
      case EQ:
        return v.strip().equalsIgnoreCase(text);
      case NE:
        return !v.strip().equalsIgnoreCase(text);
      default:
        BigDecimal x;
        try {
          x = new BigDecimal(v.strip());
        } catch (NumberFormatException e) {
          return false;
        }
        int cmp = x.compareTo(number);
        return switch (op) {
          case GE -> cmp >= 0;
          case GT -> cmp > 0;
          case LE -> cmp <= 0;
          default -> cmp < 0;
        };
    }
  }
}
