package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.RecordedProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisRunTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static AnalysisTemplate successRate() {
    return AnalysisTemplate.parse(AnalysisTemplateTest.seed(), "rollout.yaml")
        .resolve(Map.of("service-name", "trade-service"));
  }

  private static MetricProviders recording(String json) {
    return MetricProviders.of(RecordedProvider.fromJson(json).servingType("prometheus"));
  }

  /** Records every event as text. */
  static final class RecordingListener implements AnalysisListener {
    final List<String> events = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();

    @Override
    public void measurementTaken(String metric, Measurement measurement) {
      events.add(metric + " " + measurement.phase());
      times.add(measurement.startedAt());
    }

    @Override
    public void metricCompleted(MetricResult result) {
      events.add(result.name() + " completed " + result.phase());
    }

    @Override
    public void runCompleted(AnalysisResult result) {
      events.add("run " + result.phase());
    }
  }

  @Test
  void healthyCanarySucceedsAfterSixMeasurementsThirtySecondsApart() {
    VirtualScheduler scheduler = VirtualScheduler.at(T0);
    RecordingListener events = new RecordingListener();
    AnalysisRun run =
        AnalysisRun.start(
            successRate(),
            recording("{\"success-rate\": [[0.995],[0.999],[0.991],[0.996],[0.998],[0.994]]}"),
            scheduler,
            events);
    scheduler.advance(Duration.ofSeconds(149));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(run.completion()).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(run.completion()).isCompleted();
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(events.times)
        .containsExactly(
            T0,
            T0.plusSeconds(30),
            T0.plusSeconds(60),
            T0.plusSeconds(90),
            T0.plusSeconds(120),
            T0.plusSeconds(150));
    assertThat(events.events)
        .endsWith("success-rate Successful", "success-rate completed Successful", "run Successful");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void successLimitFailsTheMetricAsSoonAsItCannotBeReached() {
    VirtualScheduler scheduler = VirtualScheduler.at(T0);
    AnalysisRun run =
        AnalysisRun.start(
            successRate(),
            recording("{\"success-rate\": [[0.92],[0.92],[0.92],[0.92]]}"),
            scheduler,
            AnalysisListener.NONE);
    scheduler.runUntilIdle(100);
    AnalysisResult result = run.result();
    assertThat(result.phase()).isEqualTo(AnalysisPhase.FAILED);
    MetricResult m = result.metric("success-rate").orElseThrow();
    assertThat(m.failed()).isEqualTo(2);
    assertThat(result.message())
        .isEqualTo(
            "Metric \"success-rate\" assessed Failed due to successLimit (5) can no longer be"
                + " reached: 0 successful, 4 measurements left");
  }

  @Test
  void withoutSuccessLimitTheMetricFailsAfterFailureLimitPlusOne() {
    AnalysisTemplate base = successRate();
    Metric plain = base.metrics().get(0).newBuilder().successLimit(null).build();
    AnalysisTemplate t = AnalysisTemplate.newBuilder("sr").addMetric(plain).build();
    AnalysisResult result =
        AnalysisRun.replay(
            t,
            recording("{\"success-rate\": [[0.92],[0.92],[0.92],[0.92]]}"),
            T0,
            AnalysisListener.NONE);
    assertThat(result.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(result.metric("success-rate").orElseThrow().failed()).isEqualTo(3);
    assertThat(result.message()).contains("failed (3) > failureLimit (2)");
  }

  @Test
  void erroredMeasurementsAreRetriedAfterTenSecondsAndDoNotCount() {
    VirtualScheduler scheduler = VirtualScheduler.at(T0);
    RecordingListener events = new RecordingListener();
    AnalysisRun.start(
        successRate(),
        recording(
            "{\"success-rate\": [{\"error\":\"timeout\"},[],[0.995],[0.995],[0.995],[0.995],[0.995],[0.995]]}"),
        scheduler,
        events);
    scheduler.runUntilIdle(100);
    assertThat(events.times.subList(0, 4))
        .containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(50));
    assertThat(events.events).contains("success-rate Error").endsWith("run Successful");
  }

  @Test
  void noDataErrorsAfterConsecutiveErrorLimitPlusOne() {
    AnalysisResult result =
        AnalysisRun.replay(
            successRate(),
            recording("{\"success-rate\": [[],[],[],[],[],[]]}"),
            T0,
            AnalysisListener.NONE);
    assertThat(result.phase()).isEqualTo(AnalysisPhase.ERROR);
    MetricResult m = result.metric("success-rate").orElseThrow();
    assertThat(m.error()).isEqualTo(5);
    assertThat(m.measurements().get(4).message()).contains("out of bounds");
    assertThat(result.message()).contains("consecutiveErrors (5) > consecutiveErrorLimit (4)");
  }

  @Test
  void aFailingMetricStopsTheRunAndTerminatesTheOthers() {
    Metric watch =
        Metric.newBuilder("watch")
            .interval(Duration.ofSeconds(10))
            .successCondition("result[0] < 2")
            .provider(successRate().metrics().get(0).provider())
            .build();
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("t")
            .addMetric(successRate().metrics().get(0))
            .addMetric(watch)
            .build();
    VirtualScheduler scheduler = VirtualScheduler.at(T0);
    RecordingListener events = new RecordingListener();
    AnalysisRun run =
        AnalysisRun.start(
            t,
            recording(
                "{\"success-rate\": [[0.995],[0.5],[0.5]], \"watch\": [[1],[1],[1],[1],[1],[1],[1],[1]]}"),
            scheduler,
            events);
    scheduler.runUntilIdle(100);
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(run.result().metric("watch").orElseThrow().phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(scheduler.pending()).isZero();
    assertThat(events.events).contains("watch completed Successful").endsWith("run Failed");
  }

  @Test
  void terminatingARunWhoseEveryMeasurementErroredIsErrorNotSuccessful() {
    Metric watch =
        Metric.newBuilder("watch")
            .interval(Duration.ofSeconds(30))
            .consecutiveErrorLimit(100)
            .successCondition("result[0] < 2")
            .provider(successRate().metrics().get(0).provider())
            .build();
    AnalysisTemplate t = AnalysisTemplate.newBuilder("t").addMetric(watch).build();
    VirtualScheduler scheduler = VirtualScheduler.at(T0);
    MetricProvider down =
        new MetricProvider() {
          @Override
          public String type() {
            return "prometheus";
          }

          @Override
          public MetricValue measure(io.glidepath.analysis.provider.MeasurementRequest r) {
            throw new io.glidepath.analysis.provider.MetricProviderException(
                "prometheus", "connection refused");
          }
        };
    AnalysisRun run =
        AnalysisRun.start(t, MetricProviders.of(down), scheduler, AnalysisListener.NONE);
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.RUNNING);
    run.terminate();
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(run.completion().join().message()).contains("connection refused");
  }

  @Test
  void terminatingAHealthyIndefiniteRunIsSuccessful() {
    Metric watch =
        Metric.newBuilder("watch")
            .interval(Duration.ofSeconds(30))
            .successCondition("result[0] < 2")
            .provider(successRate().metrics().get(0).provider())
            .build();
    AnalysisTemplate t = AnalysisTemplate.newBuilder("t").addMetric(watch).build();
    VirtualScheduler scheduler = VirtualScheduler.at(T0);
    AnalysisRun run =
        AnalysisRun.start(
            t, recording("{\"watch\": [[1],[1],[1]]}"), scheduler, AnalysisListener.NONE);
    scheduler.advance(Duration.ofSeconds(60));
    run.terminate();
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.result().metric("watch").orElseThrow().count()).isEqualTo(3);
  }

  @Test
  void missingProviderTypeIsAnErroredMeasurement() {
    AnalysisResult result =
        AnalysisRun.replay(successRate(), MetricProviders.of(), T0, AnalysisListener.NONE);
    assertThat(result.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(result.message()).contains("no metric provider registered for type 'prometheus'");
  }

  @Test
  void initialDelayPostponesTheFirstMeasurement() {
    Metric delayed =
        successRate().metrics().get(0).newBuilder().initialDelay(Duration.ofMinutes(1)).build();
    AnalysisTemplate t = AnalysisTemplate.newBuilder("t").addMetric(delayed).build();
    RecordingListener events = new RecordingListener();
    AnalysisRun.replay(t, recording("{\"success-rate\": [[1],[1],[1],[1],[1],[1]]}"), T0, events);
    assertThat(events.times.get(0)).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void runsOnARealExecutorAndClock() throws Exception {
    Metric quick =
        successRate().metrics().get(0).newBuilder().interval(Duration.ofMillis(5)).build();
    AnalysisTemplate t = AnalysisTemplate.newBuilder("t").addMetric(quick).build();
    java.util.concurrent.ScheduledExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      AnalysisRun run =
          AnalysisRun.start(
              t,
              recording("{\"success-rate\": [[1],[1],[1],[1],[1],[1]]}"),
              AnalysisScheduler.of(executor, java.time.Clock.systemUTC()),
              AnalysisListener.NONE);
      AnalysisResult result = run.completion().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(result.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
      assertThat(result.metric("success-rate").orElseThrow().successful()).isEqualTo(6);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void replayRefusesMetricsThatNeverEnd() {
    Metric forever =
        Metric.newBuilder("forever")
            .interval(Duration.ofSeconds(30))
            .provider(successRate().metrics().get(0).provider())
            .build();
    AnalysisTemplate t = AnalysisTemplate.newBuilder("t").addMetric(forever).build();
    assertThatThrownBy(() -> AnalysisRun.replay(t, MetricProviders.of(), T0, AnalysisListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forever");
  }

  @Test
  void recordedCsvReplaysVectorsScalarsAndErrors() {
    RecordedProvider p =
        RecordedProvider.fromCsv(
            "metric,value,error\nsuccess-rate,[0.995],\nsuccess-rate,,boom\nsuccess-rate,[],\nsuccess-rate,0.5,\n");
    MetricProviders providers = MetricProviders.of(p.servingType("prometheus"));
    RecordingListener events = new RecordingListener();
    AnalysisRun.replay(successRate(), providers, T0, events);
    assertThat(events.events)
        .startsWith(
            "success-rate Successful",
            "success-rate Error",
            "success-rate Error",
            "success-rate Error");
  }
}
