package dev.pledge.sla.internal;

import dev.pledge.core.policy.DocumentCheck;
import dev.pledge.sla.notify.AlertRouting;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.severity.Tier;
import dev.pledge.sla.uptime.UptimePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the {@code alerts} section against the sections it serves (P4, P33, P38), once the whole
 * document has loaded. Each rule runs only when the sections it compares are all present.
 *
 * <p>Errors, because an alert would reach nobody or a reference is wrong: a route for a tier that
 * {@code sla.tiers} does not have; a tier named Gold that would not page; an operations engineer on a
 * rotation or override (so on call out of hours) without an {@code alerts.sms.phones} entry, since a
 * page at night goes by SMS; an {@code uptime.alertDestination} without a Slack webhook. (The page
 * channel's own webhook, and Gold's route paging, are checked by {@link AlertsPolicy} itself.)
 *
 * <p>Warnings, because someone is still told: a tier without a route (it posts to the page channel);
 * an engineer on call only in office hours, or an escalation target, without a phone (the page
 * channel still carries the page); a phone for someone the {@code oncall} section does not know.
 */
final class AlertsChecks implements DocumentCheck {

  @Override
  public void check(Context ctx) {
    ctx.section(AlertsPolicy.class).ifPresent(alerts -> {
      ctx.section(SlaPolicy.class).ifPresent(sla -> tiers(ctx, alerts, sla));
      ctx.section(OnCallPolicy.class).ifPresent(oncall -> phones(ctx, alerts, oncall));
      ctx.section(UptimePolicy.class).ifPresent(uptime -> uptime(ctx, alerts, uptime));
    });
  }

  private static void tiers(Context ctx, AlertsPolicy alerts, SlaPolicy sla) {
    Map<Integer, Tier> byRank = new LinkedHashMap<>();
    sla.tiers().forEach(t -> byRank.put(t.rank(), t));
    for (int i = 0; i < alerts.routing().size(); i++) {
      int rank = alerts.routing().get(i).tier();
      if (!byRank.containsKey(rank)) {
        throw ctx.error("alerts.routing[" + i + "].tier", "tier " + rank + " is not a tier of sla.tiers (ranks "
            + new TreeSet<>(byRank.keySet()) + "); its route would never be used");
      }
    }
    AlertRouting routing = alerts.toRouting();
    for (int j = 0; j < sla.tiers().size(); j++) {
      Tier t = sla.tiers().get(j);
      boolean gold = t.name() != null && t.name().strip().toLowerCase(Locale.ROOT).equals("gold");
      if (gold && !routing.route(t.rank()).page()) {
        throw ctx.error("sla.tiers[" + j + "].rank", "Gold is tier " + t.rank() + ", whose route does not page; Gold"
            + " reports page the engineer on call at once (P4): make Gold rank 1 or route tier " + t.rank()
            + " with page: true");
      }
      if (t.rank() != 1 && !routing.tiers().containsKey(t.rank())) {
        ctx.warn("alerts.routing", "p4/unrouted-tier", "tier " + t.rank() + " (" + t.displayName()
            + ") has no route: its alerts post to the page channel " + alerts.pageChannel() + " only");
      }
    }
  }

  private static void phones(Context ctx, AlertsPolicy alerts, OnCallPolicy oncall) {
    Map<String, String> phones = alerts.sms().phones();
    Map<String, OnCallPolicy.Member> team = new LinkedHashMap<>();
    oncall.engineers().forEach(m -> team.put(m.id(), m));
    Map<String, String> onCall = new LinkedHashMap<>(); // id -> where the schedule names them
    oncall.rotations().forEach(r -> r.members().forEach(id -> onCall.putIfAbsent(id, "rotation '" + r.name() + "'")));
    for (int i = 0; i < oncall.overrides().size(); i++) {
      onCall.putIfAbsent(oncall.overrides().get(i).engineer(), "oncall.overrides[" + i + "]");
    }
    List<String> unreachable = new ArrayList<>();
    onCall.forEach((id, where) -> {
      if (phones.containsKey(id)) {
        return;
      }
      OnCallPolicy.Member m = team.get(id);
      if (m != null && m.role() == OnCallPolicy.Role.OPERATIONS) {
        unreachable.add("'" + id + "' (" + where + ")");
      } else {
        ctx.warn("alerts.sms.phones", "p4/no-phone", "'" + id + "' is on call in office hours (" + where
            + ") but has no phone: their pages reach the page channel " + alerts.pageChannel() + " only");
      }
    });
    if (!unreachable.isEmpty()) {
      throw ctx.error("alerts.sms.phones", "operations engineer" + (unreachable.size() == 1 ? " " : "s ")
          + String.join(", ", unreachable) + " can be on call out of hours but " + (unreachable.size() == 1
          ? "has" : "have") + " no phone here: a page at night would reach nobody (P4, P38)");
    }
    oncall.escalationPolicy().ifPresent(e -> e.then().stream().filter(id -> !phones.containsKey(id))
        .filter(id -> !onCall.containsKey(id)).forEach(id -> ctx.warn("alerts.sms.phones", "p38/escalation-phone",
            "escalation pages '" + id + "' by SMS but they have no phone: the escalation reaches the page channel "
                + alerts.pageChannel() + " only")));
    Set<String> unknown = new TreeSet<>(phones.keySet());
    unknown.removeAll(team.keySet());
    for (String id : unknown) {
      ctx.warn("alerts.sms.phones." + id, "p4/unknown-phone", "'" + id + "' is not an engineer of the oncall"
          + " section; engineers are " + team.keySet());
    }
  }

  private static void uptime(Context ctx, AlertsPolicy alerts, UptimePolicy uptime) {
    String dest = uptime.alertDestination();
    if (!alerts.slack().webhooks().containsKey(dest)) {
      throw ctx.error("uptime.alertDestination", "availability alerts go to '" + dest + "', which has no webhook"
          + " in alerts.slack.webhooks " + new TreeSet<>(alerts.slack().webhooks().keySet())
          + ": an outage alert would reach nobody (P4)");
    }
  }
}
