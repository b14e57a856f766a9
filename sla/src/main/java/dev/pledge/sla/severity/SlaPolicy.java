package dev.pledge.sla.severity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.sla.clock.BusinessCalendar;
import dev.pledge.sla.clock.CalendarSpec;
import dev.pledge.sla.clock.ResponseTargets;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code sla} section of the policy document (P33-P37): the severity tiers, the ordered
 * classification rules, the calendars targets run on, and customers' tailored terms. Immutable.
 *
 * @param tiers the tiers, each rank once; rank 1 is the most severe
 * @param rules the classification rules, in order
 * @param calendars named calendars that tiers and tailorings refer to
 * @param defaultTier the tier of a report no rule matches; defaults to the least severe tier
 * @param customers tailored terms by customer id (P37)
 */
public record SlaPolicy(
    @JsonProperty(required = true) List<Tier> tiers,
    List<Rule> rules,
    Map<String, CalendarSpec> calendars,
    Integer defaultTier,
    Map<String, CustomerTailoring> customers) {

  /**
   * The most RE2/J instructions all the rules' patterns may compile to together: with
   * {@link Rule#PATTERN_TEXT_LIMIT} it bounds the time patterns take per report.
   */
  public static final int MAX_TOTAL_PROGRAM_SIZE = 4_000;

  /** Validates references: ranks unique, categories covered once, calendars and tiers exist. */
  public SlaPolicy {
    if (tiers == null || tiers.isEmpty()) {
      throw new IllegalArgumentException("tiers must list at least one tier");
    }
    tiers = tiers.stream().sorted(Comparator.comparingInt(Tier::rank)).toList();
    rules = rules == null ? List.of() : List.copyOf(rules);
    calendars = calendars == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(calendars));
    customers = customers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(customers));
    Map<String, Integer> categoryTier = new HashMap<>();
    java.util.Set<Integer> ranks = new java.util.HashSet<>();
    for (Tier t : tiers) {
      if (!ranks.add(t.rank())) {
        throw new IllegalArgumentException("tiers: rank " + t.rank() + " appears twice");
      }
      checkCalendar(calendars, "tier " + t.rank(), t.calendar());
      for (String c : t.categories()) {
        Integer other = categoryTier.putIfAbsent(c, t.rank());
        if (other != null) {
          throw new IllegalArgumentException("category '" + c + "' is in tier " + other + " and tier " + t.rank());
        }
      }
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    int program = 0;
    for (Rule r : rules) {
      for (String p : r.patterns()) {
        program += Rule.compile(r.name(), p).programSize();
      }
      if (program > MAX_TOTAL_PROGRAM_SIZE) {
        throw new IllegalArgumentException("rule '" + r.name() + "': the patterns up to this rule compile to "
            + program + " instructions in all, more than the " + MAX_TOTAL_PROGRAM_SIZE
            + " a policy may hold; simplify or remove patterns");
      }
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("rules: two rules are named '" + r.name() + "'");
      }
      if (!categoryTier.containsKey(r.category())) {
        throw new IllegalArgumentException("rule '" + r.name() + "': category '" + r.category()
            + "' is in no tier; tiers cover " + categoryTier.keySet().stream().sorted().toList());
      }
    }
    int worst = tiers.get(tiers.size() - 1).rank();
    defaultTier = defaultTier == null ? worst : defaultTier;
    if (!ranks.contains(defaultTier)) {
      throw new IllegalArgumentException("defaultTier " + defaultTier + " is not a tier");
    }
    for (Map.Entry<String, CustomerTailoring> e : customers.entrySet()) {
      for (CustomerTailoring.TierTerms tt : e.getValue().tiers()) {
        if (!ranks.contains(tt.rank())) {
          throw new IllegalArgumentException("customer '" + e.getKey() + "': tier " + tt.rank() + " is not a tier");
        }
        checkCalendar(calendars, "customer '" + e.getKey() + "' tier " + tt.rank(), tt.calendar());
      }
    }
  }

  private static void checkCalendar(Map<String, CalendarSpec> calendars, String who, String name) {
    if (name != null && !calendars.containsKey(name)) {
      throw new IllegalArgumentException(who + ": calendar '" + name + "' is not defined; calendars are "
          + calendars.keySet());
    }
  }

  /**
   * The tier of rank {@code rank}.
   *
   * @throws IllegalArgumentException naming the known ranks when there is none
   */
  public Tier tier(int rank) {
    return tiers.stream().filter(t -> t.rank() == rank).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown tier " + rank + "; the policy has tiers "
            + tiers.stream().map(t -> String.valueOf(t.rank())).collect(Collectors.joining(", "))));
  }

  /** The tier that covers {@code category}, if any. */
  public Optional<Tier> tierOf(String category) {
    String c = category.strip().toLowerCase(java.util.Locale.ROOT);
    return tiers.stream().filter(t -> t.categories().contains(c)).findFirst();
  }

  /**
   * The tier of rank {@code rank} with {@code customer}'s tailoring applied (P37); {@code null}
   * customer means standard terms.
   *
   * @throws IllegalArgumentException for an unknown tier or customer
   */
  public Tier tier(int rank, String customer) {
    Tier t = tier(rank);
    CustomerTailoring c = customer(customer);
    if (c == null) {
      return t;
    }
    for (CustomerTailoring.TierTerms tt : c.tiers()) {
      if (tt.rank() == rank) {
        return new Tier(t.rank(), t.name(), tt.respondWithin() != null ? tt.respondWithin() : t.respondWithin(),
            tt.calendar() != null ? tt.calendar() : t.calendar(), t.categories());
      }
    }
    return t;
  }

  private CustomerTailoring customer(String customer) {
    if (customer == null) {
      return null;
    }
    CustomerTailoring c = customers.get(customer);
    if (c == null) {
      throw new IllegalArgumentException("unknown customer '" + customer + "'; the policy tailors "
          + (customers.isEmpty() ? "no customers" : customers.keySet().toString()));
    }
    return c;
  }

  /** The calendar named {@code name}, or 24x7 for {@code null}. */
  public BusinessCalendar calendar(String name) {
    if (name == null) {
      return BusinessCalendar.always();
    }
    CalendarSpec spec = calendars.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("calendar '" + name + "' is not defined; calendars are " + calendars.keySet());
    }
    return BusinessCalendar.from(spec);
  }

  /** The response targets of every tier for {@code customer} ({@code null} for standard terms). */
  public ResponseTargets targets(String customer) {
    Map<String, BusinessCalendar> built = new HashMap<>();
    Map<Integer, ResponseTargets.Target> m = new LinkedHashMap<>();
    for (Tier base : tiers) {
      Tier t = tier(base.rank(), customer);
      BusinessCalendar cal = t.calendar() == null ? BusinessCalendar.always()
          : built.computeIfAbsent(t.calendar(), this::calendar);
      m.put(t.rank(), new ResponseTargets.Target(t.rank(), t.displayName(), t.respondWithin(), cal));
    }
    return ResponseTargets.of(m);
  }
}
