package io.glidepath.rollout.experiment;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.RunIdentity;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.driver.ReplicaSetSpec;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.internal.PodTemplateHash;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of an {@link ExperimentSpec}, as Argo Rollouts runs an Experiment: a ReplicaSet per
 * template ({@code <experiment>-<template>}, with a Service where asked), the analyses started once
 * every ReplicaSet is available, the duration counted from then; the run ends when the duration has
 * passed and the analyses marked requiredForCompletion have completed (without a duration: when
 * they have completed; with none of them either, when terminated), or at once when an analysis
 * fails, errors or is inconclusive. Its phase is the worst of its analyses'. A ReplicaSet that is
 * not available within progressDeadlineSeconds fails it. scaleDownDelaySeconds after it ends, its
 * ReplicaSets are scaled to 0 and its Services deleted.
 *
 * <pre>{@code
 * ExperimentRun run = ExperimentRun.start(spec, RolloutCluster.kubernetes(client), providers,
 *     AnalysisScheduler.of(executor, Clock.systemUTC()), result -> log(result));
 * ExperimentResult result = run.completion().join();
 * }</pre>
 *
 * <p>Analysis arguments may use {@code {{templates.<name>.podTemplateHash}}} and {@code
 * {{templates.<name>.replicaset.name}}}. Runs in memory: a driver that stops loses the run (its
 * ReplicaSets stay until the experiment is started again). Thread-safe.
 */
public final class ExperimentRun {
  /** Seconds between looks at the ReplicaSets while waiting for them to become available. */
  public static final int POLL_SECONDS = 1;

  private final ExperimentSpec spec;
  private final RolloutCluster cluster;
  private final MetricProviders providers;
  private final AnalysisScheduler scheduler;
  private final Consumer<ExperimentResult> listener;
  private final Map<String, String> hashes = new LinkedHashMap<>();
  private final Map<String, ObjectNode> templates = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> selectors = new LinkedHashMap<>();
  private final Map<String, AnalysisRun> runs = new LinkedHashMap<>();
  private final CompletableFuture<ExperimentResult> completion = new CompletableFuture<>();
  private final Instant startedAt;
  private Instant availableAt;
  private AnalysisScheduler.Cancellable timer;
  private ExperimentResult current;
  private boolean cleaned;

  private ExperimentRun(
      ExperimentSpec spec,
      Map<String, ObjectNode> podTemplates,
      RolloutCluster cluster,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      Consumer<ExperimentResult> listener) {
    this.spec = spec;
    this.cluster = cluster;
    this.providers = providers;
    this.scheduler = scheduler;
    this.listener = listener;
    this.startedAt = scheduler.now();
    this.current = new ExperimentResult(AnalysisPhase.PENDING, Map.of(), "");
    for (ExperimentTemplate t : spec.templates()) {
      ObjectNode template =
          t.podTemplate().orElseGet(() -> Objects.requireNonNull(podTemplates.get(t.name())));
      ObjectNode withMetadata = template.deepCopy();
      ObjectNode meta =
          withMetadata.has("metadata")
              ? (ObjectNode) withMetadata.get("metadata")
              : withMetadata.putObject("metadata");
      ObjectNode labels =
          meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
      labels.remove("rollouts-pod-template-hash");
      Map<String, String> selector = new LinkedHashMap<>(t.selector());
      if (selector.isEmpty()) {
        labels.properties().forEach(e -> selector.put(e.getKey(), e.getValue().asString()));
      }
      templates.put(t.name(), withMetadata);
      selectors.put(t.name(), selector);
      hashes.put(t.name(), PodTemplateHash.of(withMetadata));
    }
  }

  /**
   * Starts an experiment whose templates carry their pod templates (an Experiment document).
   *
   * @param listener told of the result each time it changes; must be fast and never throw
   */
  public static ExperimentRun start(
      ExperimentSpec spec,
      RolloutCluster cluster,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      Consumer<ExperimentResult> listener) {
    return start(spec, Map.of(), cluster, providers, scheduler, listener);
  }

  /**
   * Starts an experiment; {@code podTemplates} gives the pod template of each template that has
   * only a specRef (a Rollout's experiment step), by template name.
   */
  public static ExperimentRun start(
      ExperimentSpec spec,
      Map<String, ObjectNode> podTemplates,
      RolloutCluster cluster,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      Consumer<ExperimentResult> listener) {
    ExperimentRun run =
        new ExperimentRun(spec, podTemplates, cluster, providers, scheduler, listener);
    if (spec.terminate()) {
      run.cleaned = true; // nothing was created
      run.finish(AnalysisPhase.SUCCESSFUL, "terminated (spec.terminate)");
      return run;
    }
    synchronized (run) {
      run.scale(false);
      run.tick();
    }
    return run;
  }

  /** The ReplicaSet of template {@code template}: {@code <experiment>-<template>}. */
  public String replicaSetName(String template) {
    return spec.name() + "-" + template;
  }

  /**
   * The Service of template {@code template}, if it has one: its {@code service.name}, else {@code
   * <experiment>-<template>}.
   */
  public Optional<String> serviceName(String template) {
    for (ExperimentTemplate t : spec.templates()) {
      if (t.name().equals(template) && t.service().isPresent()) {
        return Optional.of(t.service().get().name().orElse(replicaSetName(template)));
      }
    }
    return Optional.empty();
  }

  /** The pod-template hash of template {@code template}'s ReplicaSet. */
  public String podTemplateHash(String template) {
    return hashes.get(template);
  }

  public synchronized ExperimentResult result() {
    return current;
  }

  public CompletableFuture<ExperimentResult> completion() {
    return completion.copy();
  }

  /** Ends the experiment now: running analyses are terminated, the ReplicaSets scaled down. */
  public void terminate() {
    synchronized (this) {
      if (current.isCompleted()) {
        return;
      }
    }
    runs.values().forEach(AnalysisRun::terminate);
    synchronized (this) {
      if (!current.isCompleted()) {
        finish(phase(), "terminated");
      }
    }
  }

  private void scale(boolean down) {
    for (ExperimentTemplate t : spec.templates()) {
      String name = replicaSetName(t.name());
      cluster.ensureReplicaSet(
          spec.namespace(),
          new ReplicaSetSpec(
              name,
              hashes.get(t.name()),
              Optional.of(templates.get(t.name())),
              selectors.get(t.name()),
              down ? 0 : t.replicas(),
              t.minReadySeconds(),
              t.metadata()));
      if (t.service().isPresent()) {
        String service = t.service().get().name().orElse(name);
        if (down) {
          cluster.deleteService(spec.namespace(), service);
        } else {
          Map<String, String> selector = new LinkedHashMap<>(selectors.get(t.name()));
          selector.put("rollouts-pod-template-hash", hashes.get(t.name()));
          cluster.ensureService(spec.namespace(), service, selector, templates.get(t.name()));
        }
      }
    }
  }

  private synchronized void tick() {
    timer = null;
    if (current.isCompleted()) {
      return;
    }
    Instant now = scheduler.now();
    if (availableAt == null) {
      for (ExperimentTemplate t : spec.templates()) {
        String rs = replicaSetName(t.name());
        int have = cluster.availableReplicas(spec.namespace(), spec.name(), t.name());
        if (have < t.replicas()) {
          if (!now.isBefore(startedAt.plusSeconds(spec.progressDeadlineSeconds()))) {
            finish(
                AnalysisPhase.FAILED,
                "ReplicaSet "
                    + rs
                    + " did not become available within progressDeadlineSeconds ("
                    + spec.progressDeadlineSeconds()
                    + "s)");
            return;
          }
          wake(Duration.ofSeconds(POLL_SECONDS));
          return;
        }
      }
      availableAt = now;
      startAnalyses();
    }
    assess(now);
  }

  private void startAnalyses() {
    for (ExperimentAnalysis a : spec.analyses()) {
      AnalysisListener whenDone =
          new AnalysisListener() {
            @Override
            public void runCompleted(AnalysisResult result) {
              scheduler.schedule(Duration.ZERO, ExperimentRun.this::tick);
            }
          };
      // Argo names an experiment's AnalysisRun <experiment>-<analysis>; no Experiment object owns
      // it
      RunIdentity identity = RunIdentity.of(spec.name() + "-" + a.name(), spec.namespace());
      AnalysisRun run;
      try {
        AnalysisTemplate template =
            spec.template(a)
                .withRunRules(spec.dryRun(), spec.measurementRetention())
                .resolve(
                    args(a),
                    ref ->
                        ref instanceof io.glidepath.analysis.Argument.SecretKeyRef secret
                            ? cluster.secretValue(spec.namespace(), secret.name(), secret.key())
                            : java.util.Optional.empty());
        run = AnalysisRun.start(template, providers, scheduler, whenDone, identity);
      } catch (RuntimeException e) {
        // arguments that cannot be resolved, a rule that matches no metric: the analysis is Error
        run = AnalysisRun.invalid(identity, String.valueOf(e.getMessage()), scheduler, whenDone);
      }
      runs.put(a.name(), run);
    }
    current = new ExperimentResult(AnalysisPhase.RUNNING, results(), "");
    listener.accept(current);
  }

  /** The analysis' argument values with {@code {{templates.<name>...}}} replaced. */
  private Map<String, String> args(ExperimentAnalysis a) {
    Map<String, String> out = new LinkedHashMap<>();
    a.args().forEach((k, v) -> out.put(k, templatesIn(v)));
    return out;
  }

  private String templatesIn(String value) {
    String out = value;
    for (String name : hashes.keySet()) {
      out =
          out.replaceAll(
                  "\\{\\{\\s*templates\\."
                      + java.util.regex.Pattern.quote(name)
                      + "\\.podTemplateHash\\s*}}",
                  java.util.regex.Matcher.quoteReplacement(hashes.get(name)))
              .replaceAll(
                  "\\{\\{\\s*templates\\."
                      + java.util.regex.Pattern.quote(name)
                      + "\\.replicaset\\.name\\s*}}",
                  java.util.regex.Matcher.quoteReplacement(replicaSetName(name)));
    }
    return out;
  }

  private void assess(Instant now) {
    Map<String, AnalysisResult> results = results();
    for (Map.Entry<String, AnalysisResult> e : results.entrySet()) {
      AnalysisPhase p = e.getValue().phase();
      if (p == AnalysisPhase.FAILED
          || p == AnalysisPhase.ERROR
          || p == AnalysisPhase.INCONCLUSIVE) {
        runs.values().forEach(AnalysisRun::terminate);
        finish(p, "analysis " + e.getKey() + " " + p.argoName() + message(e.getValue()));
        return;
      }
    }
    boolean required = false;
    boolean requiredDone = true;
    for (ExperimentAnalysis a : spec.analyses()) {
      if (a.requiredForCompletion()) {
        required = true;
        requiredDone &= results.get(a.name()).isCompleted();
      }
    }
    boolean durationPassed;
    if (spec.duration().isPresent()) {
      Instant end = availableAt.plus(spec.duration().get());
      durationPassed = !now.isBefore(end);
      if (!durationPassed) {
        wake(Duration.between(now, end));
      }
    } else {
      durationPassed = required;
    }
    if (durationPassed && requiredDone) {
      runs.values().forEach(AnalysisRun::terminate);
      finish(
          phase(),
          spec.duration().isPresent()
              ? "duration " + spec.duration().get() + " passed"
              : "required analyses completed");
      return;
    }
    current = new ExperimentResult(AnalysisPhase.RUNNING, results, "");
  }

  private static String message(AnalysisResult r) {
    return r.message().isEmpty() ? "" : ": " + r.message();
  }

  /** The worst phase of the analyses (Successful without any). */
  private AnalysisPhase phase() {
    AnalysisPhase worst = AnalysisPhase.SUCCESSFUL;
    for (AnalysisResult r : results().values()) {
      AnalysisPhase p = r.isCompleted() ? r.phase() : AnalysisPhase.SUCCESSFUL;
      worst = AnalysisPhase.worst(worst, p);
    }
    return worst;
  }

  private Map<String, AnalysisResult> results() {
    Map<String, AnalysisResult> out = new LinkedHashMap<>();
    runs.forEach((k, v) -> out.put(k, v.result()));
    return out;
  }

  private void wake(Duration delay) {
    if (timer != null) {
      timer.cancel();
    }
    timer = scheduler.schedule(delay, this::tick);
  }

  private void finish(AnalysisPhase phase, String why) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    current = new ExperimentResult(phase, results(), why);
    scheduler.schedule(Duration.ofSeconds(spec.scaleDownDelaySeconds()), this::cleanUp);
    listener.accept(current);
    completion.complete(current);
  }

  private synchronized void cleanUp() {
    if (!cleaned) {
      cleaned = true;
      scale(true);
    }
  }

  /** Scales the ReplicaSets down at once (e.g. when the rollout moves on). */
  public synchronized void scaleDown() {
    cleanUp();
  }

  @Override
  public String toString() {
    return "ExperimentRun[" + spec.namespace() + "/" + spec.name() + ", " + result().phase() + "]";
  }
}
