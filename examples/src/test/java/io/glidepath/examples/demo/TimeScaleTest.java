package io.glidepath.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeScaleTest {

  @Test
  void dividesPausesIntervalsAndQueryRangesByTheFactor() {
    Resource rollout =
        Resource.of(
            Yaml.readTree(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: r}
                spec:
                  strategy:
                    canary:
                      steps:
                        - setWeight: 10
                        - pause: {duration: 2m}
                        - pause: {}
                """,
                "r.yaml"));
    Resource fast = TimeScale.of(20).rollout(rollout);
    assertThat(fast.body().at("/spec/strategy/canary/steps/1/pause/duration").asString())
        .isEqualTo("6000ms");
    assertThat(fast.body().at("/spec/strategy/canary/steps/2/pause").has("duration")).isFalse();
    assertThat(rollout.body().at("/spec/strategy/canary/steps/1/pause/duration").asString())
        .isEqualTo("2m");

    Resource template =
        Resource.of(
            Yaml.readTree(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: t}
                spec:
                  metrics:
                    - name: m
                      interval: 30s
                      provider:
                        prometheus:
                          query: sum(rate(x[1m])) / sum(rate(y[5m]))
                """,
                "t.yaml"));
    Resource t = TimeScale.of(20).template(template);
    assertThat(t.body().at("/spec/metrics/0/interval").asString()).isEqualTo("1500ms");
    assertThat(t.body().at("/spec/metrics/0/provider/prometheus/query").asString())
        .isEqualTo("sum(rate(x[3000ms])) / sum(rate(y[15000ms]))");
  }

  @Test
  void keepsQueryRangesAboveTheMinimumAndRefusesSlowingDown() {
    assertThat(TimeScale.of(600).scaleRanges("rate(x[1m])")).isEqualTo("rate(x[1000ms])");
    assertThat(TimeScale.of(3).scale(Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> TimeScale.of(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeScale must be >= 1, but was 0.5");
  }
}
