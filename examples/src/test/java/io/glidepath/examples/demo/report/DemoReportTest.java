package io.glidepath.examples.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.MetricValue;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.sync.SyncPhase;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.ResultCode;
import io.glidepath.rollout.driver.RolloutEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a recorded demo run: structure, thresholds from the templates, escaping. */
class DemoReportTest {
  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");
  static final String SHA_V2 = "abc1234" + "0".repeat(33);
  static final String SHA_V3 = "def5678" + "0".repeat(33);
  static final String SHA_FIX = "f1e2d3c" + "0".repeat(33);
  static final ResourceKey ROLLOUT =
      new ResourceKey("argoproj.io", "Rollout", "production", "trade-service");

  // thresholds deliberately unlike the seed's, so that a hard-coded 0.99 / 0.95 would show
  static final String TEMPLATES =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        metrics:
          - name: success-rate
            interval: 1s
            provider: {prometheus: {address: "http://127.0.0.1:9", query: "up"}}
            successCondition: result[0] >= 0.97
            failureCondition: result[0] < 0.9
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: latency-check}
      spec:
        metrics:
          - name: p99-latency
            interval: 1s
            provider: {prometheus: {address: "http://127.0.0.1:9", query: "up"}}
            successCondition: result[0] <= 0.4
            failureCondition: result[0] > 0.8
      """;

  static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  static DemoEvent.Rollout rollout(
      String label, double seconds, RolloutEvent.Type type, int step, int weight, String msg) {
    return new DemoEvent.Rollout(
        label,
        new RolloutEvent(
            "production",
            "trade-service",
            type,
            at(seconds),
            step,
            weight,
            msg,
            Optional.empty(),
            Optional.empty()));
  }

  static DemoEvent.Rollout measure(
      String label, double seconds, String analysis, String metric, double v, AnalysisPhase p) {
    Measurement m = Measurement.of(p, at(seconds), MetricValue.scalar(v));
    return new DemoEvent.Rollout(
        label,
        new RolloutEvent(
            "production",
            "trade-service",
            RolloutEvent.Type.MEASUREMENT,
            at(seconds),
            1,
            10,
            analysis + " " + metric + " " + p + " " + v,
            Optional.of(metric),
            Optional.of(m)));
  }

  static DemoEvent.Sync sync(double seconds, String sha, DemoEvent.Sync.Trigger trigger) {
    return new DemoEvent.Sync(
        at(seconds),
        at(seconds + 0.4),
        "trade-service",
        sha,
        trigger,
        true,
        "",
        List.of(
            new ResourceResult(
                ROLLOUT, SyncAction.APPLY, SyncPhase.SYNC, 0, ResultCode.SYNCED, "configured")));
  }

  /** The seed's story, recorded: v2 promoted, v3 rolled back, selfHeal, backfill. */
  static List<DemoEvent> story() {
    List<AnalysisTemplate> templates = AnalysisTemplate.parseAll(TEMPLATES, "test");
    List<DemoEvent> events = new ArrayList<>();
    events.add(new DemoEvent.Chapter(at(1), "1. CI writes image tag v2"));
    events.add(
        new DemoEvent.Commit(
            at(2),
            DemoEvent.Commit.Kind.CI_WRITE_BACK,
            "main",
            SHA_V2,
            "ci: deploy trade-service v2 <script>alert(\"x\")</script> & 'q'",
            "apps/trade-service/values.yaml",
            "image.tag",
            "v2"));
    events.add(sync(3, SHA_V2, DemoEvent.Sync.Trigger.NEW_REVISION));
    events.add(new DemoEvent.CanaryStarted(at(4), "v2", true, templates));
    events.add(rollout("v2", 4.1, RolloutEvent.Type.STARTED, 0, 0, "revision a replaces b"));
    events.add(rollout("v2", 9, RolloutEvent.Type.WEIGHT_CHANGED, 0, 10, "canary weight 10"));
    events.add(measure("v2", 10, "background", "success-rate", 0.97, AnalysisPhase.SUCCESSFUL));
    events.add(measure("v2", 10, "background", "p99-latency", 0.2, AnalysisPhase.SUCCESSFUL));
    events.add(rollout("v2", 14, RolloutEvent.Type.WEIGHT_CHANGED, 2, 30, "canary weight 30"));
    events.add(measure("v2", 15, "step 6", "success-rate", 0.99, AnalysisPhase.SUCCESSFUL));
    events.add(rollout("v2", 20, RolloutEvent.Type.WEIGHT_CHANGED, 6, 100, "canary weight 100"));
    events.add(rollout("v2", 21, RolloutEvent.Type.PROMOTED, 7, 100, "promoted"));
    events.add(new DemoEvent.Chapter(at(30), "4. CI writes image tag v3"));
    events.add(
        new DemoEvent.Commit(
            at(31),
            DemoEvent.Commit.Kind.CI_WRITE_BACK,
            "main",
            SHA_V3,
            "ci: deploy trade-service v3",
            "apps/trade-service/values.yaml",
            "image.tag",
            "v3"));
    events.add(sync(32, SHA_V3, DemoEvent.Sync.Trigger.NEW_REVISION));
    events.add(new DemoEvent.CanaryStarted(at(33), "v3", true, templates));
    events.add(rollout("v3", 38, RolloutEvent.Type.WEIGHT_CHANGED, 0, 10, "canary weight 10"));
    events.add(measure("v3", 39, "background", "success-rate", 0.92, AnalysisPhase.INCONCLUSIVE));
    events.add(measure("v3", 40, "background", "success-rate", 0.88, AnalysisPhase.FAILED));
    events.add(measure("v3", 40, "background", "p99-latency", 0.25, AnalysisPhase.SUCCESSFUL));
    events.add(
        rollout(
            "v3",
            41,
            RolloutEvent.Type.ABORTED,
            1,
            0,
            "background analysis Failed: metric success-rate <failed> 2 of 2"));
    events.add(
        new DemoEvent.Notification(
            at(41.5), "ABORTED", "Rollout trade-service rolled back; hook token s3cr3t-T0KEN"));
    events.add(new DemoEvent.ManualChange(at(50), "kubectl-edit", "spec.replicas set to 15"));
    events.add(sync(51, SHA_V3, DemoEvent.Sync.Trigger.SELF_HEAL));
    events.add(
        new DemoEvent.Reconciled(
            new AppStatus(
                "trade-service",
                SHA_V3,
                false,
                false,
                Optional.of(SHA_V3),
                at(55),
                "out of sync (1 modified); revision was already synced and selfHeal is off")));
    events.add(
        new DemoEvent.Commit(
            at(56),
            DemoEvent.Commit.Kind.BACKFILL,
            "hotfix/trade-service-replicas",
            SHA_FIX,
            "fix(trade-service): backfill the emergency hotfix replicaCount=15",
            "apps/trade-service/values-production.yaml",
            "replicaCount",
            "15"));
    return events;
  }

  static String report(List<DemoEvent> events) {
    return DemoReport.builder(events)
        .startedAt(T0)
        .timeScale(20)
        .metricsSource("recorded")
        .summary("v2 (healthy)", "promoted to 100%", true)
        .mask(List.of("s3cr3t-T0KEN"))
        .build()
        .html();
  }

  @Test
  void timelineHoldsEveryChapterOfTheStoryInTimeOrder() {
    List<DemoEvent> events = new ArrayList<>(story());
    java.util.Collections.reverse(events); // the writer orders by time itself
    String html = report(events);

    List<String> kinds = new ArrayList<>();
    Matcher m = Pattern.compile("data-kind=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      kinds.add(m.group(1));
    }
    assertThat(kinds)
        .containsSubsequence(
            "chapter",
            "commit",
            "sync",
            "plan",
            "rollout weight_changed",
            "rollout measurement",
            "rollout promoted",
            "chapter",
            "commit",
            "sync",
            "plan",
            "rollout measurement",
            "rollout aborted",
            "notification",
            "manual",
            "selfheal",
            "reconcile",
            "backfill");
    assertThat(kinds.stream().filter("rollout weight_changed"::equals)).hasSize(4);
    assertThat(kinds.stream().filter("rollout measurement"::equals)).hasSize(6);

    assertThat(html)
        .contains("title=\"" + SHA_V2 + "\">abc1234</code>")
        .contains("def5678")
        .contains("backfill to branch <code>hotfix/trade-service-replicas</code>")
        .contains("f1e2d3c")
        .contains("selfHeal sync: drift reverted")
        .contains("notification received: ABORTED")
        .contains("step 2: weight 30%")
        // 10 s after v2's plan was handed over = 200 s of the seed's time at x20
        .contains("+10s (3m20s)")
        .contains("measurement: Failed")
        .contains("success-rate = 0.88")
        .contains("ROLLED BACK");
  }

  @Test
  void chartsForEachCanaryAndMetricDrawThresholdsAtTheTemplatesValues() {
    String html = report(story());

    for (String canary : List.of("v2", "v3")) {
      String rate = svg(html, canary, "success-rate");
      assertThat(threshold(rate, "success")).isEqualTo("0.97");
      assertThat(threshold(rate, "failure")).isEqualTo("0.9");
      String latency = svg(html, canary, "p99-latency");
      assertThat(threshold(latency, "success")).isEqualTo("0.4");
      assertThat(threshold(latency, "failure")).isEqualTo("0.8");
      // higher is better for the success rate, lower for latency
      assertThat(y(rate, "success")).isLessThan(y(rate, "failure"));
      assertThat(y(latency, "success")).isGreaterThan(y(latency, "failure"));
    }
    String v2Rate = svg(html, "v2", "success-rate");
    // the measurement of exactly 0.97 sits on the success line
    Matcher dot = Pattern.compile("cy=\"([0-9.]+)\" r=\"4\" class=\"point ok\"").matcher(v2Rate);
    assertThat(dot.find()).isTrue();
    assertThat(Double.parseDouble(dot.group(1))).isCloseTo(y(v2Rate, "success"), within());
    assertThat(v2Rate).contains("class=\"marker promoted\"").contains(">30%</text>");
    String v3Rate = svg(html, "v3", "success-rate");
    assertThat(v3Rate)
        .contains("data-phase=\"Failed\" data-value=\"0.88\"")
        .contains("data-phase=\"Inconclusive\" data-value=\"0.92\"")
        .contains("class=\"marker aborted\"");
    assertThat(html).contains("rolled back at step 1 after 8 s (2m40s in the example)");
  }

  @Test
  void chartsTakeThePageWidthWithTheExamplesTimeUnitsAndALegendForEveryLine() {
    List<DemoEvent> events = new ArrayList<>(story());
    // a query over a *_seconds series is in seconds, a division of two sums a ratio
    events.replaceAll(
        e ->
            e instanceof DemoEvent.CanaryStarted c
                ? new DemoEvent.CanaryStarted(
                    c.at(),
                    c.label(),
                    c.canary(),
                    AnalysisTemplate.parseAll(
                        TEMPLATES
                            .replaceFirst(
                                "query: \"up\"",
                                "query: \"sum(rate(ok[1m])) / sum(rate(all[1m]))\"")
                            .replaceFirst(
                                "query: \"up\"",
                                "query: \"histogram_quantile(0.99, rate(d_seconds_bucket[1m]))\""),
                        "test"))
                : e);
    String html = report(events);
    String rate = svg(html, "v2", "success-rate");
    String latency = svg(html, "v2", "p99-latency");

    assertThat(rate).contains("width=\"100%\"").doesNotContain("width=\"760\"");
    assertThat(html).contains("svg.chart{").contains("width:100%");
    assertThat(latency)
        .contains("data-unit=\"seconds\"")
        .contains(">p99-latency (seconds)</text>")
        .contains(">0.4 s</text>");
    assertThat(rate).contains("data-unit=\"ratio\"").contains(">success-rate (ratio, 1 = 100%)<");
    // x axis: the example's time; v2 ended 17 s after its plan, 5m40s of the example at x20
    assertThat(rate)
        .contains("in the example&#39;s time (demo seconds \u00d7 20)")
        .contains(">5m</text>")
        .doesNotContain(">17s</text>");
    // a legend entry for each analysis line, each threshold and each kind of marker
    assertThat(legend(rate))
        .containsExactly("series", "series", "success", "failure", "weight", "promoted");
    assertThat(legend(svg(html, "v3", "success-rate")))
        .containsExactly("series", "success", "failure", "weight", "aborted");
    // the two analyses are told apart by colour
    assertThat(rate)
        .contains("data-series=\"background\" stroke=\"" + SvgChart.colour(0) + "\"")
        .contains("data-series=\"step 6\" stroke=\"" + SvgChart.colour(1) + "\"");
  }

  @Test
  void headingsAreOneLineWithTheFullReasonBelow() {
    String html = report(story());

    assertThat(html)
        .contains(
            "<h3>v3: <span class=\"bad\">rolled back at step 1 after 8 s (2m40s in the"
                + " example)</span></h3>\n<p class=\"reason\">background analysis Failed: metric"
                + " success-rate &lt;failed&gt; 2 of 2</p>")
        .contains(
            "<h3>v2: <span class=\"ok\">promoted at step 7 after 17 s (5m40s in the example)");
  }

  @Test
  void routineReconcilesAreCountedInOneRowPerChapter() {
    List<DemoEvent> events = new ArrayList<>(story());
    for (int i = 0; i < 12; i++) {
      events.add(
          new DemoEvent.Reconciled(
              new AppStatus(
                  "trade-service",
                  SHA_V2,
                  true,
                  false,
                  Optional.of(SHA_V2),
                  at(5 + i),
                  "in sync")));
    }
    events.add(
        new DemoEvent.Reconciled(
            new AppStatus(
                "trade-service", SHA_V3, true, false, Optional.of(SHA_V3), at(35), "in sync")));
    String html = report(events);

    // the twelve of the first chapter in one row; the second chapter's one in a row of its own
    assertThat(html).containsOnlyOnce("reconciled: in sync</td>");
    assertThat(html)
        .contains("reconciled 12 times: in sync</td><td>between +0:05.0 and +0:16.0")
        .containsOnlyOnce("reconciled 12 times");
    // one row per chapter: the second chapter's single reconcile has its own
    assertThat(html).contains("data-kind=\"reconciles\"");
    assertThat(html.split("data-kind=\"reconciles\"", -1)).hasSize(3);
    assertThat(html.split("<tbody class=\"chapter-group\">", -1)).hasSize(3);
    // the out-of-sync reconcile stays a row of its own
    assertThat(html).contains("reconciled: out of sync");
  }

  @Test
  void emojiShortcodesAreRenderedOrLeftOut() {
    List<DemoEvent> events = new ArrayList<>(story());
    events.add(
        new DemoEvent.Notification(
            at(42), "PROMOTED", ":white_check_mark: Rollout promoted :unknown_code: at 12:30:45"));
    String html = report(events);

    assertThat(html)
        .contains("&#x2705; Rollout promoted at 12:30:45")
        .doesNotContain(":white_check_mark:")
        .doesNotContain(":unknown_code:");
    assertThat(Shortcodes.render(":rotating_light: Rollout")).isEqualTo("&#x1F6A8; Rollout");
  }

  private static List<String> legend(String svg) {
    List<String> kinds = new ArrayList<>();
    Matcher m = Pattern.compile("data-legend=\"([^\"]+)\"").matcher(svg);
    while (m.find()) {
      kinds.add(m.group(1));
    }
    return kinds;
  }

  @Test
  void syncHistoryListsRevisionTimeAndResultPerResource() {
    String html = report(story());
    String syncs = html.substring(html.indexOf("<h2 id=\"syncs\">"));

    assertThat(syncs).contains("id=\"sync-1\"").contains("id=\"sync-2\"").contains("id=\"sync-3\"");
    assertThat(syncs).doesNotContain("id=\"sync-4\"");
    assertThat(syncs)
        .contains(">abc1234</code>")
        .contains(">def5678</code>")
        .contains("selfHeal")
        .contains("<code>argoproj.io/Rollout:production/trade-service</code>")
        .contains("SYNCED")
        .contains("configured")
        .contains("+0:51.0");
  }

  @Test
  void everyTextIsEscapedAndMaskedAndNothingIsLoadedFromOutside() {
    String html = report(story());

    assertThat(html)
        .doesNotContain("<script")
        .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;")
        .contains("metric success-rate &lt;failed&gt; 2 of 2")
        .doesNotContain("s3cr3t-T0KEN")
        .contains("hook token " + SafeText.MASK);
    assertThat(html).doesNotContain("<link").doesNotContain("src=").doesNotContain("url(");
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  @Test
  void writesTheReportFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/report.html");
    DemoReport.builder(story()).startedAt(T0).build().write(file);
    assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
  }

  private static String svg(String html, String canary, String metric) {
    Matcher m =
        Pattern.compile(
                "<svg [^>]*data-canary=\""
                    + canary
                    + "\" data-metric=\""
                    + metric
                    + "\"[^>]*>.*?</svg>",
                Pattern.DOTALL)
            .matcher(html);
    assertThat(m.find()).as("chart %s %s", canary, metric).isTrue();
    return m.group();
  }

  private static String threshold(String svg, String kind) {
    Matcher m =
        Pattern.compile("data-threshold=\"" + kind + "\" data-value=\"([^\"]+)\"").matcher(svg);
    assertThat(m.find()).as("%s threshold", kind).isTrue();
    return m.group(1);
  }

  private static double y(String svg, String kind) {
    Matcher m =
        Pattern.compile(
                "data-threshold=\""
                    + kind
                    + "\" data-value=\"[^\"]+\" x1=\"\\d+\" y1=\"([0-9.]+)\"")
            .matcher(svg);
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.11);
  }
}
