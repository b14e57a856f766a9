package dev.pledge.backup.retention;

import java.time.Duration;

/**
 * The keep rules of a retention plan (P11). A count of 0 turns a rule off. Immutable.
 *
 * @param last keep the N newest backups (borg: {@code --keep-last}, its "secondly")
 * @param hourly keep the newest backup of each of N hours
 * @param daily keep the newest backup of each of N days
 * @param weekly keep the newest backup of each of N ISO weeks
 * @param monthly keep the newest backup of each of N months
 * @param yearly keep the newest backup of each of N years
 * @param within keep every backup newer than this (from now, or from the newest backup with restic
 *     semantics), or null for none
 */
public record RetentionRules(int last, int hourly, int daily, int weekly, int monthly, int yearly,
    Duration within) {

  /** No rules: a plan keeps everything. */
  public static final RetentionRules NONE = new RetentionRules(0, 0, 0, 0, 0, 0, null);

  /** Validates the rules; messages name the rule and the value. */
  public RetentionRules {
    check("last", last);
    check("hourly", hourly);
    check("daily", daily);
    check("weekly", weekly);
    check("monthly", monthly);
    check("yearly", yearly);
    if (within != null && (within.isNegative() || within.isZero())) {
      throw new IllegalArgumentException("within must be greater than zero, got " + within);
    }
  }

  private static void check(String name, int n) {
    if (n < 0) {
      throw new IllegalArgumentException(name + " must be 0 (off) or more, got " + n);
    }
  }

  /** Whether no rule is set. */
  public boolean isEmpty() {
    return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0
        && within == null;
  }

  /** A builder starting with no rules. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these rules, to change one. */
  public Builder toBuilder() {
    Builder b = builder().last(last).hourly(hourly).daily(daily).weekly(weekly).monthly(monthly).yearly(yearly);
    b.within = within;
    return b;
  }

  /** Builds {@link RetentionRules}. Not thread-safe. */
  public static final class Builder {
    private int last;
    private int hourly;
    private int daily;
    private int weekly;
    private int monthly;
    private int yearly;
    private Duration within;

    private Builder() {}

    /** Keep the {@code n} newest. */
    public Builder last(int n) {
      this.last = n;
      return this;
    }

    /** Keep one per hour for {@code n} hours. */
    public Builder hourly(int n) {
      this.hourly = n;
      return this;
    }

    /** Keep one per day for {@code n} days. */
    public Builder daily(int n) {
      this.daily = n;
      return this;
    }

    /** Keep one per ISO week for {@code n} weeks. */
    public Builder weekly(int n) {
      this.weekly = n;
      return this;
    }

    /** Keep one per month for {@code n} months. */
    public Builder monthly(int n) {
      this.monthly = n;
      return this;
    }

    /** Keep one per year for {@code n} years. */
    public Builder yearly(int n) {
      this.yearly = n;
      return this;
    }

    /** Keep everything newer than {@code d}. */
    public Builder within(Duration d) {
      this.within = d;
      return this;
    }

    /** The rules; throws {@link IllegalArgumentException} naming a bad value. */
    public RetentionRules build() {
      return new RetentionRules(last, hourly, daily, weekly, monthly, yearly, within);
    }
  }
}
