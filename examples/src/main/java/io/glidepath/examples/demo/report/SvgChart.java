package io.glidepath.examples.demo.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One metric's measurements over a canary's time as an inline SVG that takes the page's width: a
 * line per analysis (each in its own colour) with a dot per measurement (coloured by verdict, a
 * square for a step analysis, a circle for the background one), dashed threshold lines at the
 * template's values, vertical markers where the canary weight changed and where the rollout ended,
 * a legend naming every line, and axes with units: the x axis in the example's time, the y axis in
 * the metric's unit. Every text goes through {@link SafeText}.
 */
final class SvgChart {
  static final int WIDTH = 1000;
  static final int HEIGHT = 300;
  static final int LEFT = 84;
  static final int RIGHT = 16;
  static final int TOP = 70;
  static final int BOTTOM = 40;

  /** Stroke colours of the analyses' lines, in the order they first measure. */
  static final List<String> SERIES_COLOURS =
      List.of("#0969da", "#8250df", "#bf3989", "#1b7c83", "#953800");

  /**
   * A measurement.
   *
   * @param seconds time since the canary started, in the example's time
   * @param value the first number of the value, empty when there was none (an error, NaN)
   * @param phase its verdict, Argo's name ({@code Successful}, {@code Failed}...)
   * @param series which analysis took it ({@code background}, {@code step 3})
   * @param tooltip the text shown on hover
   */
  record Point(double seconds, OptionalDouble value, String phase, String series, String tooltip) {}

  /**
   * A threshold line.
   *
   * @param kind {@code success} or {@code failure}
   * @param threshold the condition's number
   */
  record Line(String kind, Threshold threshold) {}

  /**
   * A vertical marker.
   *
   * @param seconds time since the canary started, in the example's time
   * @param label its label ({@code 30%}, {@code rolled back})
   * @param kind its CSS class ({@code weight}, {@code aborted}, {@code promoted})
   */
  record Marker(double seconds, String label, String kind) {}

  /**
   * What the axes say.
   *
   * @param xCaption the x axis's title
   * @param unit the y axis's unit
   * @param yTitle the y axis's title (the metric and its unit)
   */
  record Axes(String xCaption, Unit unit, String yTitle) {}

  private SvgChart() {}

  static String render(
      SafeText text,
      String title,
      Map<String, String> data,
      double endSeconds,
      List<Point> points,
      List<Line> lines,
      List<Marker> markers,
      Axes axes) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double xMax = Math.max(endSeconds, 1);
    for (Point p : points) {
      xMax = Math.max(xMax, p.seconds());
      if (p.value().isPresent()) {
        lo = Math.min(lo, p.value().getAsDouble());
        hi = Math.max(hi, p.value().getAsDouble());
      }
    }
    for (Line l : lines) {
      lo = Math.min(lo, l.threshold().value());
      hi = Math.max(hi, l.threshold().value());
    }
    for (Marker m : markers) {
      xMax = Math.max(xMax, m.seconds());
    }
    if (!Double.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    if (hi - lo < 1e-9) {
      double pad = Math.max(Math.abs(hi) * 0.1, 0.5);
      lo -= pad;
      hi += pad;
    }
    double span = hi - lo;
    // room on the right for the end marker's label
    Scale s = new Scale(xMax * 1.05, lo - span * 0.08, hi + span * 0.08);

    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"100%%\""
                + " viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\""
                + " aria-label=\"%s\"",
            WIDTH,
            HEIGHT,
            text.of(title)));
    for (Map.Entry<String, String> d : data.entrySet()) {
      svg.append(" data-")
          .append(d.getKey())
          .append("=\"")
          .append(text.of(d.getValue()))
          .append('"');
    }
    svg.append(">\n<title>").append(text.of(title)).append("</title>\n");
    // axes
    svg.append(
        String.format(
            Locale.ROOT,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
            LEFT,
            TOP,
            LEFT,
            HEIGHT - BOTTOM,
            LEFT,
            HEIGHT - BOTTOM,
            WIDTH - RIGHT,
            HEIGHT - BOTTOM));
    double yStep = niceStep((s.yHi - s.yLo) / 5);
    for (long i = (long) Math.ceil(s.yLo / yStep); i * yStep <= s.yHi; i++) {
      double tick = i * yStep;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                  + "<text class=\"tick y\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT,
              s.y(tick),
              WIDTH - RIGHT,
              s.y(tick),
              LEFT - 4,
              s.y(tick) + 4,
              text.of(axes.unit().tick(tick))));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-title y\" x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 %d %d)\">%s</text>%n",
            14,
            (TOP + HEIGHT - BOTTOM) / 2,
            14,
            (TOP + HEIGHT - BOTTOM) / 2,
            text.of(axes.yTitle())));
    double step = niceTimeStep(xMax / 8);
    for (int i = 0; i * step <= xMax + 1e-9; i++) {
      double t = i * step;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"tick x\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              s.x(t),
              HEIGHT - BOTTOM + 14,
              duration(t)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-title x\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
            WIDTH - RIGHT,
            HEIGHT - 4,
            text.of(axes.xCaption())));
    // markers
    for (Marker m : markers) {
      double x = s.x(m.seconds());
      boolean right = x > WIDTH * 0.75;
      // two rows of labels above the plot: weights, then the end (clear of the last weight's)
      boolean end = !m.kind().equals("weight");
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"marker %s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                  + "<text class=\"marker-label %s\" x=\"%.1f\" y=\"%d\""
                  + " text-anchor=\"%s\">%s</text>%n",
              text.of(m.kind()),
              x,
              TOP,
              x,
              HEIGHT - BOTTOM,
              text.of(m.kind()),
              right ? x - 3 : x + 3,
              end ? TOP - 5 : TOP - 18,
              right ? "end" : "start",
              text.of(m.label())));
    }
    // thresholds
    for (Line l : lines) {
      double y = s.y(l.threshold().value());
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"threshold %s\" data-threshold=\"%s\" data-value=\"%s\""
                  + " x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                  + "<text class=\"threshold-label %s\" x=\"%d\" y=\"%.1f\">%s: %s</text>%n",
              text.of(l.kind()),
              text.of(l.kind()),
              number(l.threshold().value()),
              LEFT,
              y,
              WIDTH - RIGHT,
              y,
              text.of(l.kind()),
              LEFT + 4,
              y - 3,
              text.of(l.kind()),
              text.of(l.threshold().condition())));
    }
    // one line per analysis, then the dots
    Map<String, StringBuilder> paths = new LinkedHashMap<>();
    Map<String, Boolean> seriesShapes = new LinkedHashMap<>();
    List<String> dots = new ArrayList<>();
    boolean missing = false;
    for (Point p : points) {
      double x = s.x(p.seconds());
      if (p.value().isEmpty()) {
        missing = true;
        dots.add(
            String.format(
                Locale.ROOT,
                "<text class=\"point missing\" data-phase=\"%s\" x=\"%.1f\" y=\"%d\""
                    + " text-anchor=\"middle\">&#215;<title>%s</title></text>",
                text.of(p.phase()),
                x,
                HEIGHT - BOTTOM - 4,
                text.of(p.tooltip())));
        continue;
      }
      double y = s.y(p.value().getAsDouble());
      StringBuilder path = paths.computeIfAbsent(p.series(), k -> new StringBuilder());
      seriesShapes.putIfAbsent(p.series(), p.series().equals("background"));
      path.append(path.length() == 0 ? "M" : " L")
          .append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      String shape =
          p.series().equals("background")
              ? String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"", x, y)
              : String.format(
                  Locale.ROOT,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\"",
                  x - 4,
                  y - 4);
      dots.add(
          String.format(
              Locale.ROOT,
              "%s class=\"point %s\" data-phase=\"%s\" data-value=\"%s\"><title>%s</title>%s",
              shape,
              phaseClass(p.phase()),
              text.of(p.phase()),
              number(p.value().getAsDouble()),
              text.of(p.tooltip()),
              shape.startsWith("<circle") ? "</circle>" : "</rect>"));
    }
    List<String> series = new ArrayList<>(paths.keySet());
    for (Map.Entry<String, StringBuilder> e : paths.entrySet()) {
      svg.append("<path class=\"series\" data-series=\"")
          .append(text.of(e.getKey()))
          .append("\" stroke=\"")
          .append(colour(series.indexOf(e.getKey())))
          .append("\" d=\"")
          .append(e.getValue())
          .append("\"/>\n");
    }
    for (String d : dots) {
      svg.append(d).append('\n');
    }
    legend(svg, text, series, seriesShapes, lines, markers, missing);
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** One row above the plot naming every kind of line and mark the chart draws. */
  private static void legend(
      StringBuilder svg,
      SafeText text,
      List<String> series,
      Map<String, Boolean> circles,
      List<Line> lines,
      List<Marker> markers,
      boolean missing) {
    svg.append("<g class=\"legend\">\n");
    double x = LEFT;
    int y = 16;
    for (int i = 0; i < series.size(); i++) {
      String name = series.get(i);
      String label = name.equals("background") ? "background analysis" : name + " analysis";
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"legend-item\" data-legend=\"series\"><line x1=\"%.1f\" y1=\"%d\""
                  + " x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\"/>%s"
                  + "<text x=\"%.1f\" y=\"%d\">%s</text></g>%n",
              x,
              y,
              x + 22,
              y,
              colour(i),
              Boolean.TRUE.equals(circles.get(name))
                  ? String.format(
                      Locale.ROOT,
                      "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" class=\"legend-dot\"/>",
                      x + 11,
                      y)
                  : String.format(
                      Locale.ROOT,
                      "<rect x=\"%.1f\" y=\"%d\" width=\"8\" height=\"8\""
                          + " class=\"legend-dot\"/>",
                      x + 7,
                      y - 4),
              x + 26,
              y + 4,
              text.of(label)));
      x += 34 + label.length() * 6.2;
    }
    for (Line l : lines) {
      String label = l.kind() + " threshold";
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"legend-item\" data-legend=\"%s\"><line class=\"threshold %s\""
                  + " x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                  + "<text x=\"%.1f\" y=\"%d\">%s</text></g>%n",
              text.of(l.kind()),
              text.of(l.kind()),
              x,
              y,
              x + 22,
              y,
              x + 26,
              y + 4,
              text.of(label)));
      x += 34 + label.length() * 6.2;
    }
    List<String[]> kinds = new ArrayList<>();
    for (Marker m : markers) {
      String label =
          switch (m.kind()) {
            case "weight" -> "canary weight set";
            case "aborted" -> "rolled back";
            case "promoted" -> "promoted";
            default -> m.kind();
          };
      if (kinds.stream().noneMatch(k -> k[0].equals(m.kind()))) {
        kinds.add(new String[] {m.kind(), label});
      }
    }
    for (String[] k : kinds) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"legend-item\" data-legend=\"%s\"><line class=\"marker %s\""
                  + " x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                  + "<text x=\"%.1f\" y=\"%d\">%s</text></g>%n",
              text.of(k[0]),
              text.of(k[0]),
              x + 4,
              y - 7,
              x + 4,
              y + 7,
              x + 10,
              y + 4,
              text.of(k[1])));
      x += 18 + k[1].length() * 6.2;
    }
    if (missing) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"legend-item\" data-legend=\"missing\"><text class=\"point missing\""
                  + " x=\"%.1f\" y=\"%d\">&#215;</text><text x=\"%.1f\" y=\"%d\">no"
                  + " value</text></g>%n",
              x,
              y + 4,
              x + 10,
              y + 4));
    }
    svg.append("</g>\n");
  }

  /** The stroke colour of the {@code i}-th analysis line. */
  static String colour(int i) {
    return SERIES_COLOURS.get(Math.floorMod(i, SERIES_COLOURS.size()));
  }

  /** {@code 45s}, {@code 2m}, {@code 2m30s}, {@code 1h}: a tick of the time axis. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s == 0) {
      return "0";
    }
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      b.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      b.append(s).append('s');
    }
    return b.toString();
  }

  /** The smallest time step a clock face would use (1, 2, 5, 10, 15, 30 s; 1, 2, 5 ... min). */
  static double niceTimeStep(double rough) {
    double[] steps = {
      1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18000, 36000, 86400
    };
    for (double st : steps) {
      if (st >= rough * (1 - 1e-9)) {
        return st;
      }
    }
    return niceStep(rough);
  }

  /** The CSS class of a verdict: ok, bad or unsure. */
  static String phaseClass(String phase) {
    return switch (phase) {
      case "Successful" -> "ok";
      case "Failed", "Error" -> "bad";
      default -> "unsure";
    };
  }

  /** A number in at most 4 significant digits, without exponent for ordinary sizes. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e") || s.contains("E")) {
      return s;
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "");
      s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
    return s;
  }

  /** The smallest of 1, 2 or 5 times a power of ten that is at least {@code rough}. */
  static double niceStep(double rough) {
    if (!(rough > 0) || !Double.isFinite(rough)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= rough * (1 - 1e-9)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private record Scale(double xMax, double yLo, double yHi) {
    double x(double seconds) {
      return LEFT + (WIDTH - LEFT - RIGHT) * seconds / xMax;
    }

    double y(double v) {
      return (HEIGHT - BOTTOM) - (HEIGHT - BOTTOM - TOP) * (v - yLo) / (yHi - yLo);
    }
  }
}
