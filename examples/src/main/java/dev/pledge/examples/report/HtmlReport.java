package dev.pledge.examples.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ComplianceReport} as one self-contained HTML page: inline CSS and plain SVG, no
 * script, no font or image from the network, so the page opens anywhere and can be archived as
 * evidence.
 */
final class HtmlReport {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int WIDTH = 900;

  private HtmlReport() {}

  static String render(ComplianceReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    Map<PromiseStatus, Integer> counts = r.counts();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Compliance report: ").append(esc(r.organisation())).append("</title>")
        .append("<style>")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:960px;color:#1d2430;background:#fff}")
        .append("h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e4e8ee;padding-bottom:.3rem}")
        .append(".meta{color:#5a6578}.badge{display:inline-block;white-space:nowrap;padding:.15rem .6rem;border-radius:1rem;font-weight:600;font-size:.85rem}")
        .append(".KEPT{background:#d7f5e1;color:#0d6b34}.NOT_KEPT{background:#fde0e0;color:#9b1c1c}.NOT_APPLICABLE{background:#eceff3;color:#4a5568}")
        .append(".NO_EVIDENCE{background:#fff1d6;color:#8a4b00}.ERROR{background:#f3dcf5;color:#7a1d80}")
        .append("table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.45rem;border-bottom:1px solid #e4e8ee}")
        .append("th{background:#f5f7fa}dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;font-size:.85rem}")
        .append("dt{color:#5a6578}dd{margin:0;font-family:ui-monospace,monospace}.num{font-weight:700;white-space:nowrap}")
        .append("svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#1d2430}.summary span{margin-right:1rem}")
        .append("</style></head><body>\n");
    h.append("<h1>Compliance report</h1><p class=\"meta\">").append(esc(r.organisation()))
        .append(" &middot; policy ").append(esc(r.policySource()))
        .append(" &middot; generated ").append(WHEN.format(r.generatedAt())).append("</p>\n");
    h.append("<p class=\"summary\">");
    for (PromiseStatus s : PromiseStatus.values()) {
      h.append("<span class=\"badge ").append(s).append("\">").append(counts.get(s)).append(' ')
          .append(label(s)).append("</span>");
    }
    h.append("</p>\n");

    Charts c = r.charts();
    if (!c.uptime().isEmpty()) {
      h.append("<h2>Uptime (P2, P3)</h2>\n");
      for (Charts.UptimeTimeline t : c.uptime()) {
        uptime(h, t);
      }
    }
    if (!c.backups().isEmpty()) {
      h.append("<h2>Backups (P6-P12)</h2>\n");
      backups(h, c.backups(), r.generatedAt());
    }
    if (!c.responses().isEmpty()) {
      h.append("<h2>Support responses against their targets (P33-P36)</h2>\n");
      responses(h, c.responses());
    }

    h.append("<h2>Promises</h2>\n<table><thead><tr><th>#</th><th>Promise</th><th>Status</th><th>Evidence</th></tr></thead><tbody>\n");
    String area = null;
    for (PromiseResult p : r.promises()) {
      if (!p.promise().area().equals(area)) {
        area = p.promise().area();
        h.append("<tr><th colspan=\"4\">").append(esc(area)).append("</th></tr>\n");
      }
      h.append("<tr id=\"").append(p.promise().id()).append("\"><td class=\"num\">").append(p.promise().id())
          .append("</td><td>").append(esc(p.promise().text())).append("</td><td><span class=\"badge ")
          .append(p.status()).append("\">").append(label(p.status())).append("</span></td><td>")
          .append(esc(p.summary()));
      if (!p.evidence().isEmpty()) {
        h.append("<dl>");
        p.evidence().forEach((k, v) -> h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>"));
        h.append("</dl>");
      }
      h.append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</body></html>\n");
    return h.toString();
  }

  private static void uptime(StringBuilder h, Charts.UptimeTimeline t) {
    double span = Duration.between(t.from(), t.to()).toSeconds();
    int bar = 36;
    h.append("<svg role=\"img\" width=\"").append(WIDTH).append("\" height=\"86\" viewBox=\"0 0 ").append(WIDTH)
        .append(" 86\" xmlns=\"http://www.w3.org/2000/svg\"><title>").append(esc(t.site()))
        .append(" uptime timeline</title>");
    h.append("<text x=\"0\" y=\"14\" font-weight=\"600\">").append(esc(t.site())).append(" &#8212; ")
        .append(esc(t.uptimePercent())).append("% (target ").append(esc(t.targetPercent())).append("%)</text>");
    h.append("<rect x=\"0\" y=\"22\" width=\"").append(WIDTH).append("\" height=\"").append(bar)
        .append("\" fill=\"#3fb96b\"/>");
    for (Charts.Segment s : t.segments()) {
      double x = Duration.between(t.from(), s.start()).toSeconds() / span * WIDTH;
      double w = Math.max(2, Duration.between(s.start(), s.end()).toSeconds() / span * WIDTH);
      h.append("<rect x=\"").append(fmt(x)).append("\" y=\"22\" width=\"").append(fmt(w)).append("\" height=\"")
          .append(bar).append("\" fill=\"").append(s.kind().equals("down") ? "#d64545" : "#f0b429")
          .append("\"><title>").append(esc(s.kind())).append(' ').append(WHEN.format(s.start())).append(" .. ")
          .append(WHEN.format(s.end())).append("</title></rect>");
    }
    h.append("<text x=\"0\" y=\"76\">").append(DAY.format(t.from())).append("</text><text x=\"").append(WIDTH)
        .append("\" y=\"76\" text-anchor=\"end\">").append(DAY.format(t.to().minusSeconds(1))).append("</text>")
        .append("<text x=\"").append(WIDTH / 2).append("\" y=\"76\" text-anchor=\"middle\">")
        .append("<tspan fill=\"#3fb96b\">&#9632; up</tspan> <tspan fill=\"#d64545\">&#9632; down</tspan> ")
        .append("<tspan fill=\"#f0b429\">&#9632; announced maintenance</tspan></text></svg>\n");
  }

  private static void backups(StringBuilder h, List<Charts.BackupPoint> points, Instant now) {
    Instant min = points.stream().map(Charts.BackupPoint::time).min(Instant::compareTo).orElseThrow();
    Instant max = points.stream().map(Charts.BackupPoint::time).max(Instant::compareTo).orElseThrow();
    double span = Math.max(1, Duration.between(min, max).toSeconds());
    String[] lanes = {"keep", "archive", "delete"};
    String[] names = {"kept (hot)", "archived to Glacier", "deleted"};
    String[] colours = {"#2f80ed", "#7b61ff", "#b8c1cc"};
    int left = 150;
    int plot = WIDTH - left - 10;
    h.append("<svg role=\"img\" width=\"").append(WIDTH).append("\" height=\"130\" viewBox=\"0 0 ").append(WIDTH)
        .append(" 130\" xmlns=\"http://www.w3.org/2000/svg\"><title>backup timeline</title>");
    for (int i = 0; i < lanes.length; i++) {
      int y = 20 + i * 32;
      long n = 0;
      for (Charts.BackupPoint p : points) {
        if (p.decision().equals(lanes[i])) {
          n++;
        }
      }
      h.append("<text x=\"0\" y=\"").append(y + 4).append("\">").append(names[i]).append(" (").append(n)
          .append(")</text><line x1=\"").append(left).append("\" x2=\"").append(WIDTH - 10).append("\" y1=\"")
          .append(y).append("\" y2=\"").append(y).append("\" stroke=\"#e4e8ee\"/>");
      for (Charts.BackupPoint p : points) {
        if (p.decision().equals(lanes[i])) {
          double x = left + Duration.between(min, p.time()).toSeconds() / span * plot;
          h.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(y).append("\" r=\"3\" fill=\"")
              .append(colours[i]).append("\"/>");
        }
      }
    }
    // The 3-month mark (P11, P12): everything to its right is kept hot, what is older goes to Glacier or is thinned.
    Instant mark = now.atZone(java.time.ZoneOffset.UTC).minusMonths(3).toInstant();
    if (!mark.isBefore(min) && !mark.isAfter(max)) {
      double x = left + Duration.between(min, mark).toSeconds() / span * plot;
      h.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"6\" y2=\"104\" stroke=\"#1d2430\"")
          .append(" stroke-dasharray=\"4 3\"/><text x=\"").append(fmt(x + 4)).append("\" y=\"112\">3 months ago (")
          .append(DAY.format(mark)).append("): newer kept hot, older to Glacier</text>");
    }
    h.append("<text x=\"").append(left).append("\" y=\"122\">").append(DAY.format(min)).append("</text><text x=\"")
        .append(WIDTH - 10).append("\" y=\"122\" text-anchor=\"end\">").append(DAY.format(max)).append("</text></svg>\n");
  }

  private static void responses(StringBuilder h, List<Charts.SlaResponse> rs) {
    int left = 220;
    int plot = WIDTH - left - 60;
    int rowH = 24;
    int height = 20 + rs.size() * rowH;
    double scale = 1.5; // the plot spans 150% of each target, so a breach shows past the line
    h.append("<svg role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>responses against targets</title>");
    double targetX = left + plot / scale;
    h.append("<line x1=\"").append(fmt(targetX)).append("\" x2=\"").append(fmt(targetX))
        .append("\" y1=\"0\" y2=\"").append(height).append("\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"/>")
        .append("<text x=\"").append(fmt(targetX + 4)).append("\" y=\"12\">target</text>");
    for (int i = 0; i < rs.size(); i++) {
      Charts.SlaResponse s = rs.get(i);
      int y = 18 + i * rowH;
      double ratio = (double) s.responseTime().toSeconds() / Math.max(1, s.target().toSeconds());
      double w = Math.max(2, Math.min(ratio, scale) / scale * plot);
      h.append("<text x=\"0\" y=\"").append(y + 12).append("\">").append(esc(s.label())).append(" (")
          .append(esc(s.tier())).append(")</text><rect x=\"").append(left).append("\" y=\"").append(y)
          .append("\" width=\"").append(fmt(w)).append("\" height=\"16\" fill=\"")
          .append(s.met() ? "#3fb96b" : "#d64545").append("\"/><text x=\"").append(fmt(left + w + 6))
          .append("\" y=\"").append(y + 12).append("\">").append(minutes(s.responseTime())).append(" / ")
          .append(minutes(s.target())).append("</text>");
    }
    h.append("</svg>\n");
  }

  private static String minutes(Duration d) {
    long m = d.toMinutes();
    return m >= 120 && m % 60 == 0 ? (m / 60) + " h" : m + " min";
  }

  private static String label(PromiseStatus s) {
    return switch (s) {
      case KEPT -> "kept";
      case NOT_KEPT -> "not kept";
      case NO_EVIDENCE -> "no evidence";
      case ERROR -> "could not be judged";
      case NOT_APPLICABLE -> "not applicable";
    };
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
