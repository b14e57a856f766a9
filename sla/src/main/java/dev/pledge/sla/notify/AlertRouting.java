package dev.pledge.sla.notify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where alerts about reports go, per tier (P4, P33): tier 1 (Gold) always pages the engineer on call,
 * by SMS and on {@code pageChannel}; other tiers page only when their route says so, and otherwise
 * post to their Slack channels. Breaches of any tier page. Immutable.
 *
 * @param pageChannel the Slack channel every page is also posted to, such as {@code #ops-urgent}
 * @param tiers the route of each tier rank; a tier without a route posts to {@code pageChannel}
 */
public record AlertRouting(String pageChannel, Map<Integer, Route> tiers) {

  /** Validates the routing. */
  public AlertRouting {
    if (pageChannel == null || pageChannel.isBlank()) {
      throw new IllegalArgumentException("pageChannel must name a Slack channel such as #ops-urgent");
    }
    tiers = tiers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
    for (Map.Entry<Integer, Route> e : tiers.entrySet()) {
      if (e.getKey() == null || e.getKey() < 1) {
        throw new IllegalArgumentException("routing: tier must be at least 1, got " + e.getKey());
      }
      Objects.requireNonNull(e.getValue(), "route of tier " + e.getKey());
    }
  }

  /** The route of tier {@code rank}: Gold always pages; an unrouted tier posts to the page channel. */
  public Route route(int rank) {
    Route r = tiers.get(rank);
    if (r == null) {
      r = new Route(false, List.of(pageChannel));
    }
    return rank == 1 && !r.page() ? new Route(true, r.slack()) : r;
  }

  /**
   * The route of one tier.
   *
   * @param page whether the engineer on call is paged (SMS and the page channel)
   * @param slack Slack channels to post to, besides the page channel when paging
   */
  public record Route(boolean page, List<String> slack) {
    /** Validates the route. */
    public Route {
      slack = slack == null ? List.of() : List.copyOf(slack);
      for (String s : slack) {
        if (s == null || s.isBlank()) {
          throw new IllegalArgumentException("slack channels must not be blank");
        }
      }
      if (!page && slack.isEmpty()) {
        throw new IllegalArgumentException("a route must page or name at least one Slack channel");
      }
    }
  }
}
