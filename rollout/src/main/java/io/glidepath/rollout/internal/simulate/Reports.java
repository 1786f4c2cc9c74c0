package io.glidepath.rollout.internal.simulate;

import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.simulate.SimulationResult;
import java.time.Duration;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Text, JSON and HTML renderings of a {@link SimulationResult}. */
public final class Reports {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 220;
  private static final int PAD = 40;

  private Reports() {}

  public static String clock(Duration d) {
    return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
  }

  public static String text(SimulationResult r) {
    StringBuilder out = new StringBuilder();
    out.append("Simulated rollout ")
        .append(r.plan())
        .append(" with ")
        .append(r.scenario())
        .append('\n');
    for (SimulationResult.Entry e : r.timeline()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %6s  step %-2d weight %3d%%  %-19s %s%n",
              clock(e.at()),
              e.step(),
              e.weight(),
              e.type(),
              e.message()));
    }
    out.append("Result: ")
        .append(r.outcome())
        .append(" after ")
        .append(GoDuration.format(r.elapsed()));
    if (!r.reason().isEmpty()) {
      out.append(" (").append(r.reason()).append(')');
    }
    out.append('\n');
    return out.toString();
  }

  public static ObjectNode json(SimulationResult r) {
    ObjectNode o = Yaml.mapper().createObjectNode();
    o.put("plan", r.plan());
    o.put("source", r.scenario());
    o.put("outcome", r.outcome().name());
    o.put("exitCode", r.outcome().exitCode());
    o.put("elapsedSeconds", r.elapsed().toSeconds());
    o.put("elapsed", GoDuration.format(r.elapsed()));
    o.put("reason", r.reason());
    ArrayNode timeline = o.putArray("timeline");
    for (SimulationResult.Entry e : r.timeline()) {
      timeline
          .addObject()
          .put("atSeconds", e.at().toSeconds())
          .put("type", e.type())
          .put("step", e.step())
          .put("weight", e.weight())
          .put("message", e.message());
    }
    ArrayNode metrics = o.putArray("metrics");
    for (SimulationResult.Series s : r.series()) {
      ObjectNode m = metrics.addObject();
      m.put("metric", s.metric());
      s.success().ifPresent(t -> m.put("successCondition", t.condition()));
      s.failure().ifPresent(t -> m.put("failureCondition", t.condition()));
      ArrayNode pts = m.putArray("measurements");
      for (SimulationResult.Point p : s.points()) {
        ObjectNode n = pts.addObject().put("atSeconds", p.at().toSeconds());
        if (p.value().isPresent()) {
          n.put("value", p.value().getAsDouble());
        } else {
          n.putNull("value");
        }
        n.put("phase", p.phase().argoName()).put("analysis", p.analysis());
      }
    }
    return o;
  }

  public static String html(SimulationResult r) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Rollout simulation ")
        .append(esc(r.plan()))
        .append("</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;color:#222}")
        .append(
            "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;")
        .append(
            "text-align:left;font-size:13px}.PROMOTED{color:#1a7f37}.ROLLED_BACK{color:#cf222e}")
        .append(
            ".PAUSED{color:#9a6700}svg{border:1px solid #ddd;margin:8px 0}</style></head><body>\n");
    out.append("<h1>Rollout simulation: ").append(esc(r.plan())).append("</h1>\n");
    out.append("<p>Metrics: ").append(esc(r.scenario())).append("</p>\n");
    out.append("<h2 class=\"")
        .append(r.outcome().name())
        .append("\">")
        .append(r.outcome())
        .append(" after ")
        .append(esc(GoDuration.format(r.elapsed())))
        .append("</h2>\n<p>")
        .append(esc(r.reason()))
        .append("</p>\n");
    out.append("<h2>Canary weight</h2>\n").append(weightChart(r));
    out.append("<h2>Metrics</h2>\n");
    for (SimulationResult.Series s : r.series()) {
      out.append("<h3>").append(esc(s.metric())).append("</h3>\n").append(chart(s, r.elapsed()));
    }
    out.append("<h2>Timeline</h2>\n<table><tr><th>time</th><th>step</th><th>weight</th>")
        .append("<th>event</th><th>details</th></tr>\n");
    for (SimulationResult.Entry e : r.timeline()) {
      out.append("<tr><td>")
          .append(clock(e.at()))
          .append("</td><td>")
          .append(e.step())
          .append("</td><td>")
          .append(e.weight())
          .append("%</td><td>")
          .append(e.type())
          .append("</td><td>")
          .append(esc(e.message()))
          .append("</td></tr>\n");
    }
    out.append("</table>\n</body></html>\n");
    return out.toString();
  }

  private static String chart(SimulationResult.Series s, Duration elapsed) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (SimulationResult.Point p : s.points()) {
      if (p.value().isPresent() && Double.isFinite(p.value().getAsDouble())) {
        min = Math.min(min, p.value().getAsDouble());
        max = Math.max(max, p.value().getAsDouble());
      }
    }
    for (var t : new java.util.ArrayList<>(java.util.List.of(s.success(), s.failure()))) {
      if (t.isPresent()) {
        min = Math.min(min, t.get().value());
        max = Math.max(max, t.get().value());
      }
    }
    if (!Double.isFinite(min)) {
      min = 0;
      max = 1;
    }
    if (max - min < 1e-9) {
      max = min + 1;
    }
    double span = max - min;
    min -= span * 0.1;
    max += span * 0.1;
    long total =
        Math.max(
            1,
            Math.max(
                elapsed.toSeconds(),
                s.points().isEmpty() ? 1 : s.points().get(s.points().size() - 1).at().toSeconds()));
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n",
            WIDTH,
            HEIGHT,
            esc(s.metric())));
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n",
            PAD,
            HEIGHT - PAD,
            WIDTH - 10,
            HEIGHT - PAD));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.4g</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%.4g</text>%n",
            2,
            14,
            max,
            2,
            HEIGHT - PAD,
            min));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"11\">0:00</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>%n",
            PAD,
            HEIGHT - PAD + 14,
            WIDTH - 50,
            HEIGHT - PAD + 14,
            clock(Duration.ofSeconds(total))));
    final double lo = min;
    final double hi = max;
    s.success().ifPresent(t -> svg.append(threshold(t, lo, hi, "#1a7f37", "success")));
    s.failure().ifPresent(t -> svg.append(threshold(t, lo, hi, "#cf222e", "failure")));
    StringBuilder path = new StringBuilder();
    for (SimulationResult.Point p : s.points()) {
      double x = x(p.at().toSeconds(), total);
      if (p.value().isPresent() && Double.isFinite(p.value().getAsDouble())) {
        double y = y(p.value().getAsDouble(), lo, hi);
        path.append(path.length() == 0 ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: %s (%s)</title></circle>%n",
                x,
                y,
                color(p),
                clock(p.at()),
                esc(p.analysis()),
                p.value().getAsDouble(),
                p.phase()));
      } else {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#cf222e\">&#215;<title>%s %s: no value (%s)</title></text>%n",
                x - 3,
                HEIGHT - PAD - 4,
                clock(p.at()),
                esc(p.analysis()),
                p.phase()));
      }
    }
    if (path.length() > 0) {
      svg.append("<path d=\"")
          .append(path)
          .append("\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.2\"/>\n");
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** The canary's traffic weight over time, as a step line. */
  private static String weightChart(SimulationResult r) {
    long total = Math.max(1, r.elapsed().toSeconds());
    for (SimulationResult.Entry e : r.timeline()) {
      total = Math.max(total, e.at().toSeconds());
    }
    StringBuilder path = new StringBuilder();
    double lastY = y(0, 0, 100);
    path.append(String.format(Locale.ROOT, "M%.1f %.1f", x(0, total), lastY));
    for (SimulationResult.Entry e : r.timeline()) {
      if (!e.type().equals("WEIGHT_CHANGED")) {
        continue;
      }
      double x = x(e.at().toSeconds(), total);
      double y = y(e.weight(), 0, 100);
      path.append(String.format(Locale.ROOT, " L%.1f %.1f L%.1f %.1f", x, lastY, x, y));
      lastY = y;
    }
    path.append(String.format(Locale.ROOT, " L%.1f %.1f", x(total, total), lastY));
    return String.format(
        Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\""
            + " aria-label=\"canary weight\">%n"
            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n"
            + "<text x=\"2\" y=\"14\" font-size=\"11\">100%%</text>"
            + "<text x=\"2\" y=\"%d\" font-size=\"11\">0%%</text>%n"
            + "<path d=\"%s\" fill=\"none\" stroke=\"#8250df\" stroke-width=\"2\"/>%n</svg>%n",
        WIDTH,
        HEIGHT,
        PAD,
        HEIGHT - PAD,
        WIDTH - 10,
        HEIGHT - PAD,
        HEIGHT - PAD,
        path);
  }

  private static String threshold(
      SimulationResult.Threshold t, double lo, double hi, String color, String label) {
    double y = y(t.value(), lo, hi);
    return String.format(
        Locale.ROOT,
        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>"
            + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">%s: %s</text>%n",
        PAD,
        y,
        WIDTH - 10,
        y,
        color,
        WIDTH - 220,
        y - 3,
        color,
        label,
        esc(t.condition()));
  }

  private static String color(SimulationResult.Point p) {
    return switch (p.phase()) {
      case SUCCESSFUL -> "#1a7f37";
      case FAILED, ERROR -> "#cf222e";
      default -> "#9a6700";
    };
  }

  private static double x(long seconds, long total) {
    return PAD + (WIDTH - PAD - 10) * (double) seconds / total;
  }

  private static double y(double v, double lo, double hi) {
    return (HEIGHT - PAD) - (HEIGHT - PAD - 10) * (v - lo) / (hi - lo);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
