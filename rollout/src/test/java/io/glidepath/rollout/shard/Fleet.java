package io.glidepath.rollout.shard;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.RolloutPhase;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The work items a fleet of replicas shares in the scale-out tests: small plain-YAML apps (one
 * ConfigMap each, in namespace {@value #APPS_NS}) and small canary Rollouts (two replicas, 50 %, a
 * pause, a step analysis, a pause) whose metric is deterministic: every fifth rollout's success
 * rate is 0.5, so its analysis fails and it rolls back (Degraded); the others promote (Healthy).
 */
final class Fleet {
  static final String APPS_NS = "apps";
  static final String ROLLOUT_NS = "default";
  static final String GROUP = "glidepath";

  /** An item's name anywhere in an object's name: the app or rollout it belongs to. */
  private static final Pattern ITEM = Pattern.compile("(app|ro)-\\d{4}");

  private Fleet() {}

  static String app(int i) {
    return String.format("app-%04d", i);
  }

  static String rollout(int i) {
    return String.format("ro-%04d", i);
  }

  /** The item an object (a ConfigMap, a ReplicaSet, a claim Lease, ...) belongs to, if any. */
  static Optional<String> itemOf(String objectName) {
    Matcher m = ITEM.matcher(objectName);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /** Whether {@code objectName} is the per-item claim Lease of an item (ItemClaims). */
  static boolean isClaim(String kind, String objectName) {
    return kind.equals("Lease") && objectName.startsWith(GROUP + "-item-");
  }

  /** Whether rollout {@code name}'s analysis fails (every fifth one). */
  static boolean failsAnalysis(String rollout) {
    return Integer.parseInt(rollout.substring(rollout.lastIndexOf('-') + 1)) % 5 == 0;
  }

  /** The phase rollout {@code name} ends in, with or without failures of replicas. */
  static RolloutPhase expectedPhase(String rollout) {
    return failsAnalysis(rollout) ? RolloutPhase.DEGRADED : RolloutPhase.HEALTHY;
  }

  static Application application(String name) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://git.example/configs.git", targetRevision: main, path: apps/%1$s}
          destination: {server: "https://kubernetes.default.svc", namespace: %2$s}
          syncPolicy: {automated: {prune: true}}
        """
            .formatted(name, APPS_NS),
        name + ".yaml");
  }

  /** What every replica renders for an app at revision r1: one ConfigMap. */
  static DesiredState desired(Application app) {
    String yaml =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\ndata: {LEVEL: info}\n"
            .formatted(app.name(), APPS_NS);
    return new DesiredState("r1", ResourceSet.of(Yaml.readResources(yaml, app.name() + ".yaml")));
  }

  /** The step analysis of every rollout. */
  static AnalysisTemplate template() {
    return AnalysisTemplate.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate, namespace: default}
        spec:
          args: [{name: rollout}]
          metrics:
          - name: success-rate
            interval: 1s
            count: 2
            successCondition: result[0] >= 0.99
            provider:
              prometheus:
                address: http://prometheus.invalid:9090
                query: success_rate{rollout="{{args.rollout}}"}
        """,
        "success-rate.yaml");
  }

  /**
   * Rollout {@code name} at image tag {@code tag}: 50 %, a pause of {@code pauseSeconds}, the step
   * analysis, another pause; steps 0 to 3.
   */
  static CanaryPlan plan(String name, String tag, int pauseSeconds) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - {name: main, image: "registry.example/%1$s:%3$s"}
          strategy:
            canary:
              scaleDownDelaySeconds: 0
              steps:
              - setWeight: 50
              - pause: {duration: %4$ds}
              - analysis:
                  templates: [{templateName: success-rate}]
                  args: [{name: rollout, value: %1$s}]
              - pause: {duration: %4$ds}
        """
            .formatted(name, ROLLOUT_NS, tag, pauseSeconds);
    return CanaryPlan.fromRollout(yaml, name + ".yaml", template());
  }

  /** The index of the analysis step in {@link #plan}: a failed one must never get past it. */
  static final int ANALYSIS_STEP = 2;

  /** The number of steps in {@link #plan}: a status at this index has run them all. */
  static final int STEPS = 4;

  /** Success rate 0.5 for the rollouts that {@link #failsAnalysis}, 0.999 for the others. */
  static MetricProvider metrics() {
    Pattern rollout = Pattern.compile("ro-\\d{4}");
    return new MetricProvider() {
      @Override
      public String type() {
        return "prometheus";
      }

      @Override
      public MetricValue measure(MeasurementRequest request) {
        Matcher m = rollout.matcher(request.metric().provider().config().toString());
        if (!m.find()) {
          throw new IllegalStateException("no rollout in " + request.metric().provider());
        }
        return MetricValue.vector(failsAnalysis(m.group()) ? 0.5 : 0.999);
      }
    };
  }
}
