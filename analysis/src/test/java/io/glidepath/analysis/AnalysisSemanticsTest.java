package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The measurement, metric and run rules of {@link AnalysisEvaluator}, one row per scenario.
 *
 * <p>Metric settings: {@code count=N interval=D fl=failureLimit il=inconclusiveLimit
 * cel=consecutiveErrorLimit csl=consecutiveSuccessLimit sl=successLimit}. Histories: S(uccessful),
 * F(ailed), I(nconclusive), E(rror).
 */
class AnalysisSemanticsTest {

  static Metric metric(String name, String settings) {
    Metric.Builder b =
        Metric.newBuilder(name)
            .provider(new ProviderSpec("fake", JsonNodeFactory.instance.objectNode()));
    Integer count = null;
    for (String kv : settings.trim().split("\\s+")) {
      if (kv.isEmpty()) {
        continue;
      }
      String[] p = kv.split("=");
      switch (p[0]) {
        case "count" -> count = Integer.parseInt(p[1]);
        case "interval" -> b.interval(Duration.parse("PT" + p[1].toUpperCase()));
        case "fl" -> b.failureLimit(Integer.parseInt(p[1]));
        case "il" -> b.inconclusiveLimit(Integer.parseInt(p[1]));
        case "cel" -> b.consecutiveErrorLimit(Integer.parseInt(p[1]));
        case "csl" -> b.consecutiveSuccessLimit(Integer.parseInt(p[1]));
        case "sl" -> b.successLimit(Integer.parseInt(p[1]));
        default -> throw new IllegalArgumentException(kv);
      }
    }
    return b.count(count).build();
  }

  static List<Measurement> history(String letters) {
    List<Measurement> out = new ArrayList<>();
    for (String l : letters.trim().split("\\s+")) {
      if (l.isEmpty()) {
        continue;
      }
      out.add(
          Measurement.of(
              switch (l) {
                case "S" -> AnalysisPhase.SUCCESSFUL;
                case "F" -> AnalysisPhase.FAILED;
                case "I" -> AnalysisPhase.INCONCLUSIVE;
                case "E" -> AnalysisPhase.ERROR;
                default -> throw new IllegalArgumentException(l);
              }));
    }
    return out;
  }

  @ParameterizedTest(name = "[{index}] {0} | {1} | terminating={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // settings                          | history               | term  | phase        | used
        "count=1                             | S                     | false | SUCCESSFUL   | 1",
        "-                                   | F                     | false | FAILED       | 1",
        "-                                   | -                     | false | PENDING      | 0",
        "-                                   | -                     | true  | SUCCESSFUL   | 0",
        "count=3 interval=1m                 | S S                   | false | RUNNING      | 2",
        "count=3 interval=1m                 | S S S                 | false | SUCCESSFUL   | 3",
        "count=3 interval=1m                 | S F                   | false | FAILED       | 2",
        "count=3 interval=1m fl=1            | S F S                 | false | SUCCESSFUL   | 3",
        "count=3 interval=1m fl=1            | F F                   | false | FAILED       | 2",
        "count=3 interval=1m fl=-1           | F F F                 | false | SUCCESSFUL   | 3",
        "count=3 interval=1m il=1            | I I                   | false | INCONCLUSIVE | 2",
        "count=3 interval=1m il=1            | I S S                 | false | SUCCESSFUL   | 3",
        "count=3 interval=1m                 | I                     | false | INCONCLUSIVE | 1",
        "count=3 interval=1m                 | E E E E               | false | RUNNING      | 4",
        "count=3 interval=1m                 | E E E E E             | false | ERROR        | 5",
        "count=3 interval=1m cel=1           | E E                   | false | ERROR        | 2",
        "count=3 interval=1m cel=0           | E                     | false | ERROR        | 1",
        "count=3 interval=1m                 | E E E E S E E E E     | false | RUNNING      | 9",
        "count=2 interval=1m                 | E S E S               | false | SUCCESSFUL   | 4",
        "count=3 interval=1m fl=2            | F F I                 | false | INCONCLUSIVE | 3",
        "count=3 interval=1m fl=1            | F I                   | false | INCONCLUSIVE | 2",
        "count=3 interval=1m fl=1 il=1       | F E E E E E           | false | ERROR        | 6",
        "interval=1m                         | S S S S S S S S S S S S | false | RUNNING    | 12",
        "interval=1m                         | S S                   | true  | SUCCESSFUL   | 2",
        "interval=1m                         | E E                   | true  | ERROR        | 2",
        "interval=1m                         | S E                   | true  | SUCCESSFUL   | 2",
        "interval=1m                         | S S F                 | false | FAILED       | 3",
        "count=6 interval=30s fl=2 sl=5      | S S S S S S           | false | SUCCESSFUL   | 6",
        "count=6 interval=30s fl=2 sl=5      | S F S S S S           | false | SUCCESSFUL   | 6",
        "count=6 interval=30s fl=2 sl=5      | F F                   | false | FAILED       | 2",
        "count=6 interval=30s fl=2 sl=5      | S I                   | false | INCONCLUSIVE | 2",
        "count=6 interval=30s fl=2 sl=5      | F S F S S S           | false | FAILED       | 3",
        "count=6 interval=30s fl=2 sl=5      | E E E E E             | false | ERROR        | 5",
        "count=6 interval=30s fl=2           | F F F                 | false | FAILED       | 3",
        "count=6 interval=30s fl=2           | F F S S S S           | false | SUCCESSFUL   | 6",
        "count=4 interval=1m fl=-1 csl=2     | S S                   | false | SUCCESSFUL   | 2",
        "count=4 interval=1m fl=-1 csl=2     | S F S F               | false | FAILED       | 4",
        "count=4 interval=1m fl=3 csl=2      | S F S F               | false | INCONCLUSIVE | 4",
        "count=4 interval=1m fl=1 csl=2      | S F S F               | false | FAILED       | 4",
        "count=4 interval=1m fl=3 csl=2      | F S S                 | false | SUCCESSFUL   | 3",
        "count=4 interval=1m fl=-1 csl=2     | S E S                 | false | RUNNING      | 3",
        "count=1                             | S F                   | false | SUCCESSFUL   | 1",
        "-                                   | F S                   | false | FAILED       | 1",
        "count=2 interval=1m                 | S I                   | false | INCONCLUSIVE | 2",
        "-                                   | E E E E E             | false | ERROR        | 5",
        "-                                   | E S                   | false | SUCCESSFUL   | 2",
        "count=3 interval=1m fl=-1 il=3      | I I I                 | false | SUCCESSFUL   | 3",
        "count=3 interval=1m                 | S                     | true  | SUCCESSFUL   | 1",
        "count=3 interval=1m                 | E                     | true  | ERROR        | 1",
        "count=3 interval=1m                 | -                     | true  | SUCCESSFUL   | 0",
      })
  void metricPhaseFollowsArgoRules(
      String settings, String letters, boolean terminating, AnalysisPhase expected, int used) {
    Metric m = metric("m", settings == null ? "" : settings);
    MetricResult r =
        AnalysisEvaluator.assessMetric(m, history(letters == null ? "" : letters), terminating);
    assertThat(r.phase()).isEqualTo(expected);
    assertThat(r.measurementsTaken()).as("measurements taken into account").isEqualTo(used);
  }

  @ParameterizedTest(name = "[{index}] success={0} failure={1} result={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "result[0] >= 0.99 | result[0] < 0.95 | 0.995 | SUCCESSFUL",
        "result[0] >= 0.99 | result[0] < 0.95 | 0.97  | INCONCLUSIVE",
        "result[0] >= 0.99 | result[0] < 0.95 | 0.90  | FAILED",
        "result[0] >= 0.99 | result[0] < 0.95 | -     | ERROR",
        "result[0] >= 0.99 | -                | 0.995 | SUCCESSFUL",
        "result[0] >= 0.99 | -                | 0.97  | FAILED",
        "-                 | result[0] < 0.95 | 0.90  | FAILED",
        "-                 | result[0] < 0.95 | 0.97  | SUCCESSFUL",
        "-                 | -                | 0.5   | SUCCESSFUL",
        "-                 | -                | -     | SUCCESSFUL",
        "result[1] > 0     | result[0] < 1    | 0.5   | ERROR",
        "result[0] > 0     | result[0] > 0    | 1     | FAILED",
        "result[0] > 2     | result[0] > 2    | 1     | INCONCLUSIVE",
        "result[0] <= 0.5  | result[0] > 1.0  | 1.2   | FAILED",
        "result[0] <= 0.5  | result[0] > 1.0  | 0.3   | SUCCESSFUL",
      })
  void measurementPhaseFollowsArgoTable(
      String success, String failure, String value, AnalysisPhase expected) {
    Metric m =
        Metric.newBuilder("m")
            .successCondition(success)
            .failureCondition(failure)
            .provider(new ProviderSpec("fake", JsonNodeFactory.instance.objectNode()))
            .build();
    MetricValue v =
        value == null ? MetricValue.vector() : MetricValue.vector(Double.parseDouble(value));
    AnalysisEvaluator.Outcome outcome = AnalysisEvaluator.evaluate(m, v);
    assertThat(outcome.phase()).isEqualTo(expected);
    if (expected == AnalysisPhase.ERROR) {
      assertThat(outcome.message()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "[{index}] a({0})={1} b({2})={3} dry={4} terminate={5} -> {6}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "-                   | S         | -       | S | -   | false | SUCCESSFUL",
        "-                   | S         | -       | - | -   | false | RUNNING",
        "-                   | F         | -       | - | -   | false | FAILED",
        "-                   | F         | -       | S | a   | false | SUCCESSFUL",
        "-                   | F         | -       | - | a   | false | RUNNING",
        "-                   | I         | -       | F | -   | false | FAILED",
        "-                   | I         | -       | S | -   | false | INCONCLUSIVE",
        "count=3 interval=1m | E E E E E | -       | I | -   | false | ERROR",
        "-                   | F         | -       | F | *   | false | SUCCESSFUL",
        "count=3 interval=1m | S         | -       | - | -   | true  | SUCCESSFUL",
        "count=3 interval=1m | E         | -       | - | -   | true  | ERROR",
        "interval=1m         | S S       | -       | F | -   | false | FAILED",
        "count=3 interval=1m | S S       | -       | I | b   | false | RUNNING",
        "count=3 interval=1m | S S S     | -       | E | b   | false | RUNNING",
        "count=3 interval=1m | S S S     | -       | F | b   | false | SUCCESSFUL",
      })
  void runPhaseIsTheWorstNonDryRunMetric(
      String aSettings,
      String aHistory,
      String bSettings,
      String bHistory,
      String dryRun,
      boolean terminate,
      AnalysisPhase expected) {
    AnalysisTemplate.Builder t =
        AnalysisTemplate.newBuilder("t")
            .addMetric(metric("a", aSettings == null ? "" : aSettings))
            .addMetric(metric("b", bSettings == null ? "" : bSettings));
    if (dryRun != null) {
      t.addDryRun(dryRun.equals("*") ? "*" : "^" + dryRun + "$");
    }
    Map<String, List<Measurement>> histories = new LinkedHashMap<>();
    histories.put("a", history(aHistory == null ? "" : aHistory));
    histories.put("b", history(bHistory == null ? "" : bHistory));
    AnalysisResult result = AnalysisEvaluator.assessRun(t.build(), histories, terminate);
    assertThat(result.phase()).isEqualTo(expected);
    if (expected == AnalysisPhase.FAILED) {
      assertThat(result.message()).contains("assessed Failed due to");
    }
  }
}
