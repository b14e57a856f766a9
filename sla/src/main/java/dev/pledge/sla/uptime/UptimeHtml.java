package dev.pledge.sla.uptime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Renders monthly uptime reports as one self-contained HTML page (P3): no scripts, no external
 * styles or images. Each site gets its month's timeline drawn as SVG (up green, down red, excluded
 * maintenance grey), its figure against the target, its incidents and its maintenance decisions.
 * Stateless and thread-safe.
 */
public final class UptimeHtml {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 24;
  /** Room under the bar for the day axis and the legend. */
  private static final int AXIS = 40;

  private UptimeHtml() {}

  /** The page for one report. */
  public static String render(MonthlyUptimeReport report) {
    return render(List.of(report));
  }

  /** The page for several reports (for instance every site of one month), in the given order. */
  public static String render(List<MonthlyUptimeReport> reports) {
    StringBuilder sb = new StringBuilder(4096);
    String title = reports.isEmpty() ? "Uptime report" : "Uptime report " + reports.get(0).month();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
            + ".met{color:#1a7f37}.missed{color:#c62828}</style></head><body>\n<h1>")
        .append(esc(title)).append("</h1>\n");
    for (MonthlyUptimeReport r : reports) {
      section(sb, r);
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void section(StringBuilder sb, MonthlyUptimeReport r) {
    boolean met = r.met();
    sb.append("<section id=\"site-").append(esc(r.site().value())).append("\">\n<h2>")
        .append(esc(r.site().value())).append(" &middot; ").append(r.month()).append(" (")
        .append(esc(r.zone().getId())).append(")</h2>\n<p class=\"").append(met ? "met" : "missed").append("\">Uptime <strong>")
        .append(r.uptimePercent().toPlainString()).append("%</strong> against a target of ")
        .append(esc(r.target().toString())).append(": ").append(met ? "met" : "missed").append(".</p>\n");
    sb.append("<p>").append(r.minutes()).append(" minutes in the month; downtime counted ")
        .append(UptimeCalculator.human(r.downtime())).append(", excluded for announced maintenance ")
        .append(UptimeCalculator.human(r.excluded())).append("; error budget ")
        .append(MonthlyUptimeReport.plain(r.allowedDowntimeSeconds()).toPlainString()).append(" s, remaining ")
        .append(MonthlyUptimeReport.plain(r.budgetRemainingSeconds()).toPlainString()).append(" s.</p>\n");
    timeline(sb, r);
    if (!r.incidents().isEmpty()) {
      sb.append("<h3>Incidents</h3>\n<table><tr><th>Start</th><th>End</th><th>Counted</th><th>Excluded</th></tr>\n");
      for (Incident i : r.incidents()) {
        sb.append("<tr><td>").append(i.start()).append("</td><td>").append(i.end()).append("</td><td>")
            .append(UptimeCalculator.human(i.counted())).append("</td><td>")
            .append(UptimeCalculator.human(i.excluded())).append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }
    if (!r.maintenance().isEmpty()) {
      sb.append("<h3>Maintenance</h3>\n<table><tr><th>Window</th><th>Announced</th><th>Excluded</th><th>Why</th></tr>\n");
      for (MaintenanceDecision d : r.maintenance()) {
        sb.append("<tr><td>").append(d.window().start()).append(" &ndash; ").append(d.window().end())
            .append("</td><td>").append(d.window().announced()).append("</td><td>")
            .append(d.excluded() ? "yes" : "no").append("</td><td>").append(esc(d.explanation())).append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }
    sb.append("</section>\n");
  }

  private static void timeline(StringBuilder sb, MonthlyUptimeReport r) {
    double len = r.length().toMillis();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT + AXIS)
        .append("\" role=\"img\" aria-label=\"timeline of ").append(esc(r.site().value())).append("\">")
        .append("<rect class=\"up\" x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"#2da44e\"><title>up</title></rect>");
    for (Incident i : r.incidents()) {
      if (!i.counted().isZero()) {
        bar(sb, r, len, i.start(), i.end(), "down", "#d32f2f");
      }
    }
    // excluded maintenance is drawn over the downtime it excuses
    for (MaintenanceDecision d : r.maintenance()) {
      if (d.excluded()) {
        bar(sb, r, len, d.window().start(), d.window().end(), "maintenance", "#9e9e9e");
      }
    }
    axisAndLegend(sb, r, len);
    sb.append("</svg>\n");
  }

  /**
   * Under the bar: a tick at the start of every day of the month, labelled with the day of the month
   * every five days, and a legend naming the three colours.
   */
  private static void axisAndLegend(StringBuilder sb, MonthlyUptimeReport r, double len) {
    sb.append("<line x1=\"0\" x2=\"").append(WIDTH).append("\" y1=\"").append(HEIGHT).append("\" y2=\"").append(HEIGHT)
        .append("\" stroke=\"#222\"/>");
    long days = Math.round(r.length().toHours() / 24.0);
    for (long d = 0; d <= days; d++) {
      double x = Math.min(WIDTH - 0.5, Duration.ofDays(d).toMillis() / len * WIDTH);
      boolean label = d % 5 == 0 || d == days - 1;
      sb.append(String.format(java.util.Locale.ROOT, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
          x, x, HEIGHT, HEIGHT + (label ? 6 : 3)));
      if (label && d < days) {
        sb.append(String.format(java.util.Locale.ROOT,
            "<text x=\"%.2f\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">%d</text>", x, HEIGHT + 17,
            d == 0 ? "start" : "middle", d + 1));
      }
    }
    int y = HEIGHT + 34;
    sb.append("<text x=\"0\" y=\"").append(y).append("\" font-size=\"11\">day of the month</text>");
    String[][] legend = {{"#2da44e", "up"}, {"#d32f2f", "down (counted)"}, {"#9e9e9e", "announced maintenance (excluded)"}};
    int x = 160;
    for (String[] l : legend) {
      sb.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"10\" height=\"10\" fill=\"")
          .append(l[0]).append("\"/><text x=\"").append(x + 14).append("\" y=\"").append(y).append("\" font-size=\"11\">")
          .append(l[1]).append("</text>");
      x += 40 + l[1].length() * 7;
    }
  }

  private static void bar(StringBuilder sb, MonthlyUptimeReport r, double len, Instant s, Instant e,
      String cls, String colour) {
    Instant a = s.isBefore(r.start()) ? r.start() : s;
    Instant b = e.isAfter(r.end()) ? r.end() : e;
    if (!b.isAfter(a)) {
      return;
    }
    double x = Duration.between(r.start(), a).toMillis() / len * WIDTH;
    // at least one pixel, so that a short outage stays visible
    double w = Math.max(1.0, Duration.between(a, b).toMillis() / len * WIDTH);
    sb.append(String.format(java.util.Locale.ROOT,
        "<rect class=\"%s\" x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s %s &ndash; %s</title></rect>",
        cls, x, w, HEIGHT, colour, cls, a, b));
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
