package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Measurements that run over time (Argo's Run/Resume/Terminate/GarbageCollect) in a run. */
class LongRunningMeasurementTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A provider whose measurements finish after {@code polls} polls with {@code verdict}. */
  static final class SlowProvider implements MetricProvider {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<MeasurementRequest> starts = new CopyOnWriteArrayList<>();
    final int polls;
    final List<AnalysisPhase> verdicts;
    int started;

    SlowProvider(int polls, AnalysisPhase... verdicts) {
      this.polls = polls;
      this.verdicts = List.of(verdicts);
    }

    @Override
    public String type() {
      return "slow";
    }

    @Override
    public MetricValue measure(MeasurementRequest request) {
      throw new MetricProviderException("slow", "runs over time");
    }

    @Override
    public synchronized Observation start(MeasurementRequest request) {
      starts.add(request);
      String id = "m" + (++started);
      calls.add("start " + id + " attempt " + request.attempt());
      return Observation.running(Duration.ofSeconds(5), Map.of("id", id, "polls", "0"));
    }

    @Override
    public synchronized Observation poll(MeasurementRequest request, Observation.Running r) {
      String id = r.metadata().get("id");
      int n = Integer.parseInt(r.metadata().get("polls")) + 1;
      calls.add("poll " + id);
      if (n < polls) {
        return Observation.running(Duration.ofSeconds(5), Map.of("id", id, "polls", "" + n));
      }
      AnalysisPhase v = verdicts.get(Math.min(started - 1, verdicts.size() - 1));
      if (v == AnalysisPhase.ERROR) {
        throw new MetricProviderException("slow", id + " vanished");
      }
      return Observation.judged(v, id + " " + v);
    }

    @Override
    public void terminate(MeasurementRequest request, Observation.Running r) {
      calls.add("terminate " + r.metadata().get("id"));
    }

    @Override
    public void garbageCollect(MeasurementRequest request, int limit) {
      calls.add("gc limit " + limit + " after attempt " + request.attempt());
    }
  }

  private static Metric metric(String name, String type, Integer count, Duration interval) {
    Metric.Builder b =
        Metric.newBuilder(name)
            .provider(new ProviderSpec(type, JsonNodeFactory.instance.objectNode()));
    if (count != null) {
      b.count(count);
    }
    if (interval != null) {
      b.interval(interval);
    }
    return b.build();
  }

  @Test
  void pollsUntilTheVerdictAndSkipsConditions() {
    SlowProvider p = new SlowProvider(3, AnalysisPhase.SUCCESSFUL);
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("smoke")
            .addMetric(
                metric("job", "slow", null, null).newBuilder().successCondition("false").build())
            .build();
    VirtualScheduler s = VirtualScheduler.at(T0);
    List<Measurement> taken = new ArrayList<>();
    AnalysisRun run =
        AnalysisRun.start(
            t,
            MetricProviders.of(p),
            s,
            new AnalysisListener() {
              @Override
              public void measurementTaken(String metric, Measurement m) {
                taken.add(m);
              }
            },
            RunIdentity.of("smoke-run", "production").withUid("uid-1"));
    s.runUntilIdle(100);
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(p.calls).containsExactly("start m1 attempt 1", "poll m1", "poll m1", "poll m1");
    assertThat(taken).hasSize(1);
    assertThat(taken.get(0).startedAt()).isEqualTo(T0);
    assertThat(taken.get(0).finishedAt()).isEqualTo(T0.plusSeconds(15));
    assertThat(taken.get(0).message()).isEqualTo("m1 Successful");
    assertThat(p.starts.get(0).run().uid()).isEqualTo("uid-1");
    assertThat(p.starts.get(0).run().namespace()).contains("production");
  }

  @Test
  void attemptsCountErrorsAndFailuresFollowTheLimits() {
    SlowProvider p =
        new SlowProvider(1, AnalysisPhase.ERROR, AnalysisPhase.FAILED, AnalysisPhase.FAILED);
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("smoke")
            .addMetric(
                metric("job", "slow", 3, Duration.ofSeconds(30))
                    .newBuilder()
                    .failureLimit(1)
                    .build())
            .build();
    VirtualScheduler s = VirtualScheduler.at(T0);
    AnalysisRun run = AnalysisRun.start(t, MetricProviders.of(p), s, AnalysisListener.NONE);
    s.runUntilIdle(100);
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(p.starts).extracting(MeasurementRequest::attempt).containsExactly(1, 2, 3);
    MetricResult m = run.result().metrics().get(0);
    assertThat(m.error()).isEqualTo(1);
    assertThat(m.failed()).isEqualTo(2);
    assertThat(m.measurements().get(0).message()).contains("m1 vanished");
  }

  @Test
  void aRunEndingEarlyTerminatesTheRunningMeasurementAsArgoDoes() {
    SlowProvider p = new SlowProvider(100, AnalysisPhase.SUCCESSFUL);
    MetricProvider failing =
        new MetricProvider() {
          @Override
          public String type() {
            return "bad";
          }

          @Override
          public MetricValue measure(MeasurementRequest request) {
            return MetricValue.scalar(0);
          }
        };
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("gate")
            .addMetric(metric("job", "slow", null, null))
            .addMetric(
                metric("rate", "bad", null, null)
                    .newBuilder()
                    .initialDelay(Duration.ofSeconds(12))
                    .successCondition("result > 1")
                    .build())
            .build();
    VirtualScheduler s = VirtualScheduler.at(T0);
    AnalysisRun run =
        AnalysisRun.start(t, MetricProviders.of(p, failing), s, AnalysisListener.NONE);
    s.runUntilIdle(100);
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(p.calls).containsExactly("start m1 attempt 1", "poll m1", "poll m1", "terminate m1");
    Measurement job = run.result().metrics().get(0).measurements().get(0);
    assertThat(job.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(job.message()).isEqualTo(AnalysisRun.TERMINATED_MESSAGE);
    assertThat(s.pending()).isZero();
  }

  @Test
  void terminateFromOutsideStopsTheRunningMeasurement() {
    SlowProvider p = new SlowProvider(100, AnalysisPhase.SUCCESSFUL);
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("gate").addMetric(metric("job", "slow", null, null)).build();
    VirtualScheduler s = VirtualScheduler.at(T0);
    AnalysisRun run = AnalysisRun.start(t, MetricProviders.of(p), s, AnalysisListener.NONE);
    s.advance(Duration.ofSeconds(7));
    run.terminate();
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(p.calls).containsExactly("start m1 attempt 1", "poll m1", "terminate m1");
    s.runUntilIdle(100);
    assertThat(p.calls).hasSize(3);
  }

  @Test
  void oldMeasurementsAreGarbageCollectedBeyondTheRetention() {
    SlowProvider p = new SlowProvider(1, AnalysisPhase.SUCCESSFUL);
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("gate")
            .addMetric(metric("job", "slow", 4, Duration.ofSeconds(10)))
            .addMeasurementRetention(new AnalysisTemplate.MeasurementRetention("job", 2))
            .build();
    VirtualScheduler s = VirtualScheduler.at(T0);
    AnalysisRun run = AnalysisRun.start(t, MetricProviders.of(p), s, AnalysisListener.NONE);
    s.runUntilIdle(100);
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(p.calls)
        .filteredOn(c -> c.startsWith("gc"))
        .containsExactly("gc limit 2 after attempt 3", "gc limit 2 after attempt 4");
  }

  @Test
  void aReplayCannotWaitForMeasurementsThatRunOverTime() {
    SlowProvider p = new SlowProvider(3, AnalysisPhase.SUCCESSFUL);
    AnalysisTemplate t =
        AnalysisTemplate.newBuilder("gate")
            .addMetric(
                metric("job", "slow", null, null).newBuilder().consecutiveErrorLimit(0).build())
            .build();
    AnalysisResult r = AnalysisRun.replay(t, MetricProviders.of(p), T0, AnalysisListener.NONE);
    assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(r.metrics().get(0).measurements().get(0).message()).contains("cannot be replayed");
    assertThat(p.calls).containsExactly("start m1 attempt 1", "terminate m1");
  }
}
