package io.glidepath.examples.demo.report;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.Metric;
import io.glidepath.core.time.GoDuration;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.rollout.driver.RolloutEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The demo's self-contained HTML report (no scripts, no external CSS, fonts or images: it opens
 * offline): a summary, an SVG chart per canary and metric of the measured values against the
 * AnalysisTemplate's success and failure thresholds, the timeline of the whole story and the sync
 * history, all from a list of {@link DemoEvent}s.
 *
 * <pre>{@code
 * Path file = DemoReport.builder(recorder.events())
 *     .startedAt(recorder.startedAt())
 *     .timeScale(20)
 *     .metricsSource("Prometheus (real binary)")
 *     .summary("v2 (healthy)", "promoted to 100%", true)
 *     .build()
 *     .write(work.resolve("glidepath-demo-report.html"));
 * }</pre>
 *
 * <p>Every text from the events is HTML-escaped, and the values given to {@link
 * Builder#mask(Collection)} (and every AnalysisTemplate's sensitive argument values) are replaced
 * by {@value SafeText#MASK} before that. Immutable and thread-safe.
 */
public final class DemoReport {
  private final List<DemoEvent> events;
  private final Instant startedAt;
  private final double timeScale;
  private final String metricsSource;
  private final List<String[]> summary;
  private final SafeText text;

  private DemoReport(Builder b) {
    this.events = List.copyOf(b.events);
    this.startedAt =
        b.startedAt != null
            ? b.startedAt
            : events.stream().map(DemoEvent::at).min(Instant::compareTo).orElse(Instant.EPOCH);
    this.timeScale = b.timeScale;
    this.metricsSource = b.metricsSource;
    this.summary = List.copyOf(b.summary);
    Set<String> secrets = new HashSet<>(b.secrets);
    for (DemoEvent e : events) {
      if (e instanceof DemoEvent.CanaryStarted c) {
        for (AnalysisTemplate t : c.templates()) {
          secrets.addAll(t.sensitiveValues());
        }
      }
    }
    this.text = new SafeText(secrets);
  }

  /** A builder for the report of {@code events} (any order; they are shown by time). */
  public static Builder builder(List<DemoEvent> events) {
    return new Builder(events);
  }

  /** Writes the report to {@code file} (UTF-8), creating its directory; returns {@code file}. */
  public Path write(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.writeString(file, html(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo report " + file, e);
    }
  }

  /** The whole page. */
  public String html() {
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Glidepath demo report</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    out.append("<h1>Glidepath demo: the trade-service example</h1>\n");
    out.append("<p class=\"meta\">Started ")
        .append(text.of(startedAt.toString()))
        .append(". The timeline&#39;s times are the demo&#39;s own (since the start); the")
        .append(" example&#39;s durations were compressed &#215;")
        .append(SvgChart.number(timeScale))
        .append(", so one demo second stands for ")
        .append(SvgChart.number(timeScale))
        .append(" s of the example. The charts show the example&#39;s time.");
    if (!metricsSource.isEmpty()) {
      out.append(" Analyses measured by: ").append(text.of(metricsSource)).append('.');
    }
    out.append("</p>\n");
    out.append(
        "<nav><a href=\"#summary\">Summary</a> &#183; <a href=\"#canaries\">Canary analysis</a>"
            + " &#183; <a href=\"#timeline\">Timeline</a> &#183; <a href=\"#syncs\">Sync"
            + " history</a></nav>\n");
    summary(out);
    canaries(out);
    timeline(out);
    syncs(out);
    out.append("</body>\n</html>\n");
    return out.toString();
  }

  // ------------------------------------------------------------------ summary

  private void summary(StringBuilder out) {
    out.append("<h2 id=\"summary\">Summary</h2>\n<table class=\"summary\">\n");
    for (String[] row : summary) {
      out.append("<tr class=\"")
          .append(row[2])
          .append("\"><th>")
          .append(text.of(row[0]))
          .append("</th><td>")
          .append(text.of(row[1]))
          .append("</td></tr>\n");
    }
    for (Canary c : canaryList()) {
      if (c.started.canary()) {
        out.append("<tr class=\"")
            .append(c.outcomeClass())
            .append("\"><th>canary ")
            .append(text.of(c.started.label()))
            .append("</th><td>")
            .append(text.of(c.outcome()))
            .append(
                c.reason().map(r -> "<div class=\"reason\">" + text.of(r) + "</div>").orElse(""))
            .append("</td></tr>\n");
      }
    }
    out.append("</table>\n");
  }

  // ------------------------------------------------------------------ charts

  private void canaries(StringBuilder out) {
    out.append("<h2 id=\"canaries\">Canary analysis</h2>\n");
    out.append(
        "<p class=\"legend\">Each dot is one measurement, coloured by its verdict:"
            + " <span class=\"ok\">&#9679; Successful</span>, <span class=\"bad\">&#9679; Failed"
            + " or Error</span>, <span class=\"unsure\">&#9679; Inconclusive</span>; a circle is"
            + " the background analysis, a square a step analysis, &#215; a measurement without a"
            + " value. Each chart&#39;s legend names its lines: one per analysis, the"
            + " AnalysisTemplate&#39;s success and failure thresholds (dashed), the canary weight"
            + " changes and the end of the rollout (verticals). The x axis is the time since the"
            + " rollout started, in the example&#39;s time (demo seconds &#215; "
            + SvgChart.number(timeScale)
            + ").</p>\n");
    boolean any = false;
    for (Canary c : canaryList()) {
      if (!c.started.canary()) {
        continue;
      }
      any = true;
      out.append("<section class=\"canary\" id=\"canary-")
          .append(text.of(c.started.label()))
          .append("\">\n<h3>")
          .append(text.of(c.started.label()))
          .append(": <span class=\"")
          .append(c.outcomeClass())
          .append("\">")
          .append(text.of(c.outcome()))
          .append("</span></h3>\n");
      c.reason()
          .ifPresent(r -> out.append("<p class=\"reason\">").append(text.of(r)).append("</p>\n"));
      for (Map.Entry<String, Optional<Metric>> m : c.metrics().entrySet()) {
        out.append("<figure>\n").append(chart(c, m.getKey(), m.getValue()));
        out.append("<figcaption>")
            .append(text.of(c.started.label()))
            .append(": ")
            .append(text.of(m.getKey()))
            .append(m.getValue().isPresent() ? conditions(m.getValue().get()) : "")
            .append("</figcaption>\n</figure>\n");
      }
      out.append("</section>\n");
    }
    if (!any) {
      out.append("<p>No canary ran.</p>\n");
    }
  }

  private String conditions(Metric m) {
    StringBuilder s = new StringBuilder();
    m.successCondition()
        .ifPresent(c -> s.append("; success when <code>").append(text.of(c)).append("</code>"));
    m.failureCondition()
        .ifPresent(c -> s.append("; failure when <code>").append(text.of(c)).append("</code>"));
    return s.toString();
  }

  private String chart(Canary c, String metric, Optional<Metric> definition) {
    List<SvgChart.Point> points = new ArrayList<>();
    List<SvgChart.Marker> markers = new ArrayList<>();
    double end = 0;
    for (RolloutEvent e : c.events) {
      // the example's time: what the rollout would have taken without the demo's compression
      double at = seconds(c.started.at(), e.at()) * timeScale;
      end = Math.max(end, at);
      switch (e.type()) {
        case WEIGHT_CHANGED -> {
          // weight 0 comes with the rollback or the promotion, which have their own marker
          if (e.weight() > 0) {
            markers.add(new SvgChart.Marker(at, e.weight() + "%", "weight"));
          }
        }
        case ABORTED -> markers.add(new SvgChart.Marker(at, "rolled back", "aborted"));
        case PROMOTED -> markers.add(new SvgChart.Marker(at, "promoted", "promoted"));
        case MEASUREMENT -> {
          if (e.metric().filter(metric::equals).isPresent() && e.measurement().isPresent()) {
            Measurement m = e.measurement().get();
            OptionalDouble value = firstNumber(m);
            points.add(
                new SvgChart.Point(
                    at,
                    value,
                    m.phase().argoName(),
                    series(e),
                    SvgChart.duration(at)
                        + " "
                        + series(e)
                        + ": "
                        + metric
                        + " = "
                        + valueText(m)
                        + " -> "
                        + m.phase().argoName()));
          }
        }
        default -> {}
      }
    }
    List<SvgChart.Line> lines = new ArrayList<>();
    definition
        .flatMap(Metric::successCondition)
        .flatMap(Threshold::of)
        .ifPresent(t -> lines.add(new SvgChart.Line("success", t)));
    definition
        .flatMap(Metric::failureCondition)
        .flatMap(Threshold::of)
        .ifPresent(t -> lines.add(new SvgChart.Line("failure", t)));
    Map<String, String> data = new LinkedHashMap<>();
    data.put("canary", c.started.label());
    data.put("metric", metric);
    Unit unit = definition.map(Unit::of).orElse(Unit.NONE);
    data.put("unit", unit.name().toLowerCase(Locale.ROOT));
    return SvgChart.render(
        text,
        c.started.label() + " " + metric,
        data,
        end,
        points,
        lines,
        markers,
        new SvgChart.Axes(
            "time since the rollout started, in the example's time (demo seconds \u00d7 "
                + SvgChart.number(timeScale)
                + ")",
            unit,
            unit.title(metric)));
  }

  // ------------------------------------------------------------------ timeline

  private void timeline(StringBuilder out) {
    out.append("<h2 id=\"timeline\">Timeline</h2>\n")
        .append("<p class=\"legend\">One group per chapter of the story. Reconciles that found")
        .append(
            " the cluster in sync and changed nothing are counted in one row per chapter.</p>\n")
        .append("<table class=\"timeline\">\n<thead><tr><th>time</th>")
        .append("<th>rollout clock (example&#39;s time)</th><th>revision</th>")
        .append("<th>who</th><th>what</th><th>details</th></tr></thead>\n<tbody>\n");
    Map<String, Instant> canaryStart = new LinkedHashMap<>();
    Quiet quiet = new Quiet();
    int sync = 0;
    for (DemoEvent e : sorted()) {
      if (e instanceof DemoEvent.Reconciled r && !r.status().synced() && r.status().inSync()) {
        quiet.add(r);
        continue;
      }
      if (e instanceof DemoEvent.Chapter c) {
        quiet.flush(out);
        out.append("</tbody>\n<tbody class=\"chapter-group\">\n")
            .append("<tr class=\"chapter\" data-kind=\"chapter\"><td>")
            .append(clock(seconds(startedAt, c.at())))
            .append("</td><td colspan=\"5\">")
            .append(text.of(c.title()))
            .append("</td></tr>\n");
      } else if (e instanceof DemoEvent.Commit c) {
        boolean ci = c.kind() == DemoEvent.Commit.Kind.CI_WRITE_BACK;
        row(
            out,
            ci ? "commit" : "backfill",
            "",
            e.at(),
            "",
            "",
            ci ? "CI &#8594; Git" : "Ops &#8594; Git",
            ci ? "write-back" : "backfill to branch <code>" + text.of(c.branch()) + "</code>",
            "commit <code class=\"commit\" title=\""
                + text.of(c.commit())
                + "\">"
                + text.of(c.shortCommit())
                + "</code> on "
                + text.of(c.branch())
                + ": "
                + text.of(c.subject())
                + " (<code>"
                + text.of(c.file())
                + "</code>: <code>"
                + text.of(c.key())
                + " = "
                + text.of(c.value())
                + "</code>)");
      } else if (e instanceof DemoEvent.Sync s) {
        sync++;
        boolean heal = s.trigger() == DemoEvent.Sync.Trigger.SELF_HEAL;
        row(
            out,
            heal ? "selfheal" : "sync",
            s.succeeded() ? "ok" : "bad",
            e.at(),
            "",
            shortRevision(s.revision()),
            "controller",
            heal ? "selfHeal sync: drift reverted" : "sync of a new revision",
            "<a href=\"#sync-"
                + sync
                + "\">"
                + (s.succeeded() ? "Succeeded" : "Failed")
                + "</a>, "
                + s.resources().size()
                + " resources"
                + (s.message().isEmpty() ? "" : ": " + text.of(s.message())));
      } else if (e instanceof DemoEvent.Reconciled r) {
        if (!r.status().synced()) {
          row(
              out,
              "reconcile",
              "unsure",
              e.at(),
              "",
              shortRevision(r.status().revision()),
              "controller",
              "reconciled: out of sync",
              text.of(r.status().message()));
        }
      } else if (e instanceof DemoEvent.CanaryStarted c) {
        canaryStart.put(c.label(), c.at());
        row(
            out,
            "plan",
            "",
            e.at(),
            "",
            text.of(c.label()),
            "driver",
            c.canary() ? "canary of a new revision" : "first deployment",
            "analysis templates: "
                + text.of(
                    String.join(
                        ", ", c.templates().stream().map(AnalysisTemplate::name).toList())));
      } else if (e instanceof DemoEvent.Rollout r) {
        rolloutRow(out, r, canaryStart.get(r.label()));
      } else if (e instanceof DemoEvent.Notification n) {
        row(
            out,
            "notification",
            n.event().equals("ABORTED") ? "bad" : "",
            e.at(),
            "",
            "",
            "webhook",
            "notification received: " + text.of(n.event()),
            Shortcodes.render(text.of(n.text())));
      } else if (e instanceof DemoEvent.ManualChange m) {
        row(
            out,
            "manual",
            "unsure",
            e.at(),
            "",
            "",
            text.of(m.actor()),
            "manual change",
            text.of(m.description()));
      }
    }
    quiet.flush(out);
    out.append("</tbody>\n</table>\n");
  }

  /** The reconciles of one chapter that found everything in sync and did nothing: one row. */
  private final class Quiet {
    private int count;
    private Instant first;
    private Instant last;
    private String revision = "";

    void add(DemoEvent.Reconciled r) {
      if (count++ == 0) {
        first = r.at();
      }
      last = r.at();
      revision = r.status().revision();
    }

    void flush(StringBuilder out) {
      if (count == 0) {
        return;
      }
      row(
          out,
          "reconciles",
          "ok",
          first,
          "",
          shortRevision(revision),
          "controller",
          count == 1 ? "reconciled: in sync" : "reconciled " + count + " times: in sync",
          count == 1
              ? "nothing to do"
              : "between "
                  + clock(seconds(startedAt, first))
                  + " and "
                  + clock(seconds(startedAt, last))
                  + ", nothing to do each time");
      count = 0;
    }
  }

  private void rolloutRow(StringBuilder out, DemoEvent.Rollout r, Instant canaryStarted) {
    RolloutEvent e = r.event();
    String rolloutClock = "";
    if (canaryStarted != null) {
      double s = Math.max(0, seconds(canaryStarted, e.at()));
      rolloutClock =
          "+"
              + SvgChart.number(Math.round(s * 10) / 10.0)
              + "s ("
              + text.of(GoDuration.format(Duration.ofSeconds(Math.round(s * timeScale))))
              + ")";
    }
    String who = "rollout";
    String what;
    String details = text.of(e.message());
    String cls = "";
    switch (e.type()) {
      case STEP_STARTED -> what = "step " + e.stepIndex();
      case WEIGHT_CHANGED -> what = "step " + e.stepIndex() + ": weight " + e.weight() + "%";
      case MEASUREMENT -> {
        who = "analysis";
        Optional<Measurement> m = e.measurement();
        String verdict = m.map(x -> x.phase().argoName()).orElse("?");
        cls = SvgChart.phaseClass(verdict);
        what = "measurement: " + text.of(verdict);
        details =
            text.of(series(e))
                + ": <code>"
                + text.of(e.metric().orElse("?"))
                + " = "
                + text.of(m.map(DemoReport::valueText).orElse("?"))
                + "</code>"
                + m.filter(x -> !x.message().isEmpty())
                    .map(x -> " (" + text.of(x.message()) + ")")
                    .orElse("");
      }
      case ANALYSIS_STARTED -> {
        who = "analysis";
        what = "analysis started";
      }
      case ANALYSIS_COMPLETED -> {
        who = "analysis";
        what = "analysis completed";
        cls =
            e.message().contains("Successful")
                ? "ok"
                : e.message().contains("Failed") || e.message().contains("Error") ? "bad" : "";
      }
      case ABORTED -> {
        what = "ROLLED BACK";
        cls = "bad";
      }
      case PROMOTED -> {
        what = "PROMOTED";
        cls = "ok";
      }
      case PAUSED -> {
        what = "paused";
        cls = "unsure";
      }
      case ERROR -> {
        what = "error (retried)";
        cls = "unsure";
      }
      default -> what = text.of(e.type().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    row(
        out,
        "rollout " + e.type().name().toLowerCase(Locale.ROOT),
        cls,
        e.at(),
        rolloutClock,
        text.of(r.label()),
        who,
        what,
        details);
  }

  /** A timeline row; {@code what} and {@code details} are HTML already escaped by the caller. */
  private void row(
      StringBuilder out,
      String kind,
      String cls,
      Instant at,
      String rolloutClock,
      String revision,
      String who,
      String what,
      String details) {
    out.append("<tr class=\"")
        .append(cls)
        .append("\" data-kind=\"")
        .append(kind)
        .append("\"><td>")
        .append(clock(seconds(startedAt, at)))
        .append("</td><td>")
        .append(rolloutClock)
        .append("</td><td>")
        .append(revision)
        .append("</td><td>")
        .append(who)
        .append("</td><td>")
        .append(what)
        .append("</td><td>")
        .append(details)
        .append("</td></tr>\n");
  }

  // ------------------------------------------------------------------ sync history

  private void syncs(StringBuilder out) {
    out.append("<h2 id=\"syncs\">Sync history</h2>\n<table class=\"syncs\">\n")
        .append("<tr><th>#</th><th>time</th><th>revision</th><th>trigger</th><th>result</th>")
        .append("<th>resource</th><th>action</th><th>phase, wave</th><th>outcome</th>")
        .append("<th>message</th></tr>\n");
    int n = 0;
    for (DemoEvent e : sorted()) {
      if (!(e instanceof DemoEvent.Sync s)) {
        continue;
      }
      n++;
      int rows = Math.max(1, s.resources().size());
      out.append("<tr id=\"sync-")
          .append(n)
          .append("\" class=\"sync-head ")
          .append(s.succeeded() ? "ok" : "bad")
          .append("\"><td rowspan=\"")
          .append(rows)
          .append("\">")
          .append(n)
          .append("</td><td rowspan=\"")
          .append(rows)
          .append("\">")
          .append(clock(seconds(startedAt, s.at())))
          .append(" (")
          .append(
              SvgChart.number(
                  Math.round(Duration.between(s.at(), s.finishedAt()).toMillis() / 100.0) / 10.0))
          .append(" s)</td><td rowspan=\"")
          .append(rows)
          .append("\"><code title=\"")
          .append(text.of(s.revision()))
          .append("\">")
          .append(shortRevision(s.revision()))
          .append("</code></td><td rowspan=\"")
          .append(rows)
          .append("\">")
          .append(s.trigger() == DemoEvent.Sync.Trigger.SELF_HEAL ? "selfHeal" : "new revision")
          .append("</td><td rowspan=\"")
          .append(rows)
          .append("\">")
          .append(s.succeeded() ? "Succeeded" : "Failed: " + text.of(s.message()))
          .append("</td>");
      if (s.resources().isEmpty()) {
        out.append("<td colspan=\"5\">nothing to do</td></tr>\n");
        continue;
      }
      boolean first = true;
      for (ResourceResult r : s.resources()) {
        if (!first) {
          out.append("<tr class=\"resource\">");
        }
        first = false;
        out.append("<td><code>")
            .append(text.of(r.key().toString()))
            .append("</code></td><td>")
            .append(text.of(r.action().name()))
            .append("</td><td>")
            .append(text.of(r.phase().displayName()))
            .append(", ")
            .append(r.wave())
            .append("</td><td class=\"")
            .append(r.code().name().equals("SYNC_FAILED") ? "bad" : "ok")
            .append("\">")
            .append(text.of(r.code().name()))
            .append("</td><td>")
            .append(text.of(r.message()))
            .append("</td></tr>\n");
      }
    }
    if (n == 0) {
      out.append("<tr><td colspan=\"10\">no sync ran</td></tr>\n");
    }
    out.append("</table>\n");
  }

  // ------------------------------------------------------------------ helpers

  private List<DemoEvent> sorted() {
    List<DemoEvent> sorted = new ArrayList<>(events);
    sorted.sort(java.util.Comparator.comparing(DemoEvent::at));
    return sorted;
  }

  /** The rollouts in the order they started, each with its events. */
  private List<Canary> canaryList() {
    Map<String, Canary> byLabel = new LinkedHashMap<>();
    for (DemoEvent e : sorted()) {
      if (e instanceof DemoEvent.CanaryStarted c) {
        byLabel.put(c.label(), new Canary(c));
      } else if (e instanceof DemoEvent.Rollout r && byLabel.containsKey(r.label())) {
        byLabel.get(r.label()).events.add(r.event());
      }
    }
    return List.copyOf(byLabel.values());
  }

  private final class Canary {
    final DemoEvent.CanaryStarted started;
    final List<RolloutEvent> events = new ArrayList<>();

    Canary(DemoEvent.CanaryStarted started) {
      this.started = started;
    }

    Optional<RolloutEvent> end() {
      RolloutEvent last = null;
      for (RolloutEvent e : events) {
        if (e.type() == RolloutEvent.Type.ABORTED || e.type() == RolloutEvent.Type.PROMOTED) {
          last = e;
        }
      }
      return Optional.ofNullable(last);
    }

    /** One line: how and when it ended, in demo seconds and in the example's time. */
    String outcome() {
      return end()
          .map(
              e -> {
                double s = seconds(started.at(), e.at());
                String after =
                    " at step "
                        + e.stepIndex()
                        + " after "
                        + SvgChart.number(Math.round(s * 10) / 10.0)
                        + " s ("
                        + SvgChart.duration(s * timeScale)
                        + " in the example)";
                return (e.type() == RolloutEvent.Type.ABORTED ? "rolled back" : "promoted") + after;
              })
          .orElse("did not finish");
    }

    /** Why a rolled back canary was rolled back, in full. */
    Optional<String> reason() {
      return end()
          .filter(e -> e.type() == RolloutEvent.Type.ABORTED && !e.message().isEmpty())
          .map(RolloutEvent::message);
    }

    String outcomeClass() {
      return end().map(e -> e.type() == RolloutEvent.Type.PROMOTED ? "ok" : "bad").orElse("unsure");
    }

    /** The templates' metrics in order, then any measured metric no template names. */
    Map<String, Optional<Metric>> metrics() {
      Map<String, Optional<Metric>> metrics = new LinkedHashMap<>();
      for (AnalysisTemplate t : started.templates()) {
        for (Metric m : t.metrics()) {
          metrics.putIfAbsent(m.name(), Optional.of(m));
        }
      }
      for (RolloutEvent e : events) {
        e.metric().ifPresent(m -> metrics.putIfAbsent(m, Optional.empty()));
      }
      return metrics;
    }
  }

  /** Which analysis took a measurement: {@code background} or {@code step N}. */
  private static String series(RolloutEvent e) {
    String metric = e.metric().orElse("");
    int i = e.message().indexOf(" " + metric + " ");
    return i > 0 ? e.message().substring(0, i) : "analysis";
  }

  private static OptionalDouble firstNumber(Measurement m) {
    return m.value()
        .filter(v -> !v.numbers().isEmpty())
        .map(v -> v.numbers().get(0))
        .filter(Double::isFinite)
        .map(OptionalDouble::of)
        .orElse(OptionalDouble.empty());
  }

  private static String valueText(Measurement m) {
    if (m.value().isEmpty()) {
      return "no value";
    }
    List<Double> numbers = m.value().get().numbers();
    if (numbers.isEmpty()) {
      return m.value().get().toString();
    }
    return String.join(", ", numbers.stream().map(SvgChart::number).toList());
  }

  private static String shortRevision(String revision) {
    return revision.length() > 7 && revision.matches("[0-9a-f]+")
        ? revision.substring(0, 7)
        : SafeText.escape(revision);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  /** {@code +m:ss.s}. */
  private static String clock(double seconds) {
    long tenths = Math.round(seconds * 10);
    String sign = tenths < 0 ? "-" : "+";
    tenths = Math.abs(tenths);
    return String.format(
        Locale.ROOT, "%s%d:%02d.%d", sign, tenths / 600, (tenths / 10) % 60, tenths % 10);
  }

  private static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;color:#1f2328}\n"
          + "h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #d0d7de}\n"
          + ".meta,.legend{color:#57606a;font-size:13px}\n"
          + "table{border-collapse:collapse;font-size:13px}\n"
          + "td,th{padding:3px 8px;border-bottom:1px solid #eaeef2;text-align:left;"
          + "vertical-align:top}\n"
          + "code{font-family:ui-monospace,monospace;font-size:12px}\n"
          + ".ok{color:#1a7f37}.bad{color:#cf222e}.unsure{color:#9a6700}\n"
          + "tr.chapter td{font-weight:bold;background:#f6f8fa;padding-top:8px}\n"
          + "tbody.chapter-group{border-top:2px solid #d0d7de}\n"
          + ".reason{color:#57606a;font-size:13px;margin:0 0 8px}\n"
          + "tr.sync-head td{border-top:2px solid #d0d7de}\n"
          + "figure{margin:8px 0 16px}figcaption{font-size:13px;color:#57606a}\n"
          + "svg.chart{border:1px solid #d0d7de;background:#fff;font-size:11px;width:100%;"
          + "height:auto;display:block}\n"
          + "svg .axis-title{fill:#57606a;font-size:12px}svg .legend text{fill:#1f2328}\n"
          + "svg .legend-dot{fill:#fff;stroke:#57606a}\n"
          + "svg .axis{stroke:#8c959f}svg .grid{stroke:#eaeef2}svg .tick{fill:#57606a}\n"
          + "svg .series{fill:none;stroke-width:1.5}\n"
          + "svg .point.ok{fill:#1a7f37}svg .point.bad,svg .point.missing{fill:#cf222e}"
          + "svg .point.unsure{fill:#9a6700}\n"
          + "svg .threshold{stroke-dasharray:6 4;stroke-width:1.2}\n"
          + "svg .threshold.success{stroke:#1a7f37}svg .threshold.failure{stroke:#cf222e}\n"
          + "svg .threshold-label.success{fill:#1a7f37}svg .threshold-label.failure{fill:#cf222e}\n"
          + "svg .marker{stroke:#afb8c1;stroke-dasharray:2 3}svg .marker-label{fill:#57606a}\n"
          + "svg .marker-label,svg .threshold-label{paint-order:stroke;stroke:#fff;"
          + "stroke-width:3px}\n"
          + "svg .marker.aborted{stroke:#cf222e;stroke-dasharray:none}"
          + "svg .marker-label.aborted{fill:#cf222e}\n"
          + "svg .marker.promoted{stroke:#1a7f37;stroke-dasharray:none}"
          + "svg .marker-label.promoted{fill:#1a7f37}\n";

  /** Builds a {@link DemoReport}. Not thread-safe. */
  public static final class Builder {
    private final List<DemoEvent> events;
    private Instant startedAt;
    private double timeScale = 1;
    private String metricsSource = "";
    private final List<String[]> summary = new ArrayList<>();
    private final Set<String> secrets = new HashSet<>();

    private Builder(List<DemoEvent> events) {
      this.events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    /** Time zero of the report (default: the first event's time). */
    public Builder startedAt(Instant startedAt) {
      this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
      return this;
    }

    /** How many times faster than the seed's durations the demo ran (default 1); must be >= 1. */
    public Builder timeScale(double timeScale) {
      if (!(timeScale >= 1)) {
        throw new IllegalArgumentException("timeScale must be >= 1, but was " + timeScale);
      }
      this.timeScale = timeScale;
      return this;
    }

    /** What answered the analyses' queries, said in the header (default: not said). */
    public Builder metricsSource(String metricsSource) {
      this.metricsSource = Objects.requireNonNull(metricsSource, "metricsSource");
      return this;
    }

    /** A summary line, marked good or bad. */
    public Builder summary(String label, String value, boolean ok) {
      summary.add(
          new String[] {
            Objects.requireNonNull(label, "label"),
            Objects.requireNonNull(value, "value"),
            ok ? "ok" : "bad"
          });
      return this;
    }

    /** Values never to show (tokens, passwords): each occurrence is masked. */
    public Builder mask(Collection<String> secrets) {
      for (String s : secrets) {
        this.secrets.add(Objects.requireNonNull(s, "secret"));
      }
      return this;
    }

    public DemoReport build() {
      return new DemoReport(this);
    }
  }
}
