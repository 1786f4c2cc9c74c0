package io.glidepath.benchmarks.diff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonDiff;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drift detection over 10,000 Deployment-sized pairs (live with server metadata, status and
 * defaults; one in ten with a real change), against two references measured in the same run:
 *
 * <ul>
 *   <li>{@code jsonEqualsFloor}: one plain {@code JsonNode.equals} per pair, the floor (goal: full
 *       detection within 3x of it);
 *   <li>{@code jsonEqualsFullTraversal}: {@code JsonNode.equals} of each desired object with an
 *       equal copy, which walks the whole tree (the plain floor stops at the first differing field,
 *       i.e. at once);
 *   <li>{@code zjsonpatchJsonDiff}: zjsonpatch's {@code JsonDiff.asJson} per pair (goal: detection
 *       at least 5x faster).
 * </ul>
 *
 * Run: {@code java -jar benchmarks/target/benchmarks.jar DriftBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DriftBenchmark {
  static final int PAIRS = 10_000;

  private ResourceSet desired;
  private ResourceSet live;
  private List<Resource> desiredList;
  private List<Resource> liveList;
  private List<JsonNode> desiredCopies;
  private List<com.fasterxml.jackson.databind.JsonNode> desired2;
  private List<com.fasterxml.jackson.databind.JsonNode> live2;
  private DriftDetector detector;

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: NAME
        namespace: production
        labels: {app: NAME, team: payments, tier: backend}
        annotations: {owner: sre@example.com}
      spec:
        replicas: 3
        selector:
          matchLabels: {app: NAME}
        template:
          metadata:
            labels: {app: NAME, team: payments}
          spec:
            serviceAccountName: NAME
            containers:
              - name: app
                image: registry.example.com/org/NAME:v1.4.2
                args: ["--port=8080", "--log-level=info"]
                env:
                  - {name: JAVA_OPTS, value: "-Xmx512m"}
                  - {name: REGION, value: eu-west-1}
                ports:
                  - {containerPort: 8080, name: http}
                resources:
                  requests: {cpu: 500m, memory: 512Mi}
                  limits: {cpu: 1000m, memory: 1Gi}
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  initialDelaySeconds: 10
                  periodSeconds: 5
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  initialDelaySeconds: 30
                  periodSeconds: 10
              - name: proxy
                image: registry.example.com/proxy:2.1
                ports:
                  - {containerPort: 15001, name: proxy}
      """;

  @Setup
  public void setup() throws Exception {
    ObjectMapper jackson2 = new ObjectMapper();
    desiredList = new ArrayList<>(PAIRS);
    liveList = new ArrayList<>(PAIRS);
    desired2 = new ArrayList<>(PAIRS);
    live2 = new ArrayList<>(PAIRS);
    desiredCopies = new ArrayList<>(PAIRS);
    for (int i = 0; i < PAIRS; i++) {
      Resource d = Yaml.readResources(DEPLOYMENT.replace("NAME", "svc-" + i), "d.yaml").get(0);
      boolean drift = i % 10 == 0;
      Resource l = d.edit(body -> serverize(body, drift));
      desiredList.add(d);
      desiredCopies.add(d.body().deepCopy());
      liveList.add(l);
      desired2.add(jackson2.readTree(Yaml.toJson(d.body())));
      live2.add(jackson2.readTree(Yaml.toJson(l.body())));
    }
    desired = ResourceSet.of(desiredList);
    live = ResourceSet.of(liveList);
    detector = DriftDetector.of(DiffOptions.ofDefaults());
    DriftReport check = detector.detect(desired, live);
    if (check.summary().modified() != PAIRS / 10
        || check.summary().synced() != PAIRS - PAIRS / 10) {
      throw new IllegalStateException("unexpected benchmark data: " + check.summary());
    }
  }

  /** What the API server adds to an applied Deployment; {@code drift}: a changed image too. */
  static void serverize(ObjectNode body, boolean drift) {
    ObjectNode meta = body.withObjectProperty("metadata");
    meta.put("uid", "0b7a3c52-1111-4c1e-9a55-5d3f0e4c1a01")
        .put("resourceVersion", "918273")
        .put("generation", 7)
        .put("creationTimestamp", "2026-11-01T10:00:00Z");
    meta.withObjectProperty("annotations").put("deployment.kubernetes.io/revision", "7");
    ObjectNode spec = body.withObjectProperty("spec");
    spec.put("progressDeadlineSeconds", 600).put("revisionHistoryLimit", 10);
    spec.putObject("strategy")
        .put("type", "RollingUpdate")
        .putObject("rollingUpdate")
        .put("maxSurge", "25%")
        .put("maxUnavailable", "25%");
    ObjectNode podSpec = (ObjectNode) body.at("/spec/template/spec");
    podSpec
        .put("dnsPolicy", "ClusterFirst")
        .put("restartPolicy", "Always")
        .put("schedulerName", "default-scheduler")
        .put("terminationGracePeriodSeconds", 30);
    podSpec.putObject("securityContext");
    for (JsonNode c : podSpec.path("containers")) {
      ObjectNode container = (ObjectNode) c;
      container
          .put("imagePullPolicy", "IfNotPresent")
          .put("terminationMessagePath", "/dev/termination-log")
          .put("terminationMessagePolicy", "File");
      for (JsonNode p : container.path("ports")) {
        ((ObjectNode) p).put("protocol", "TCP");
      }
      for (String probe : new String[] {"readinessProbe", "livenessProbe"}) {
        if (container.get(probe) instanceof ObjectNode pr) {
          pr.put("timeoutSeconds", 1).put("successThreshold", 1).put("failureThreshold", 3);
          pr.withObjectProperty("httpGet").put("scheme", "HTTP");
        }
      }
      if (container.at("/resources/limits") instanceof ObjectNode limits) {
        limits.put("cpu", "1");
      }
    }
    if (drift) {
      ((ObjectNode) podSpec.path("containers").get(0))
          .put("image", "registry.example.com/org/x:test");
    }
    body.putObject("status")
        .put("observedGeneration", 7)
        .put("replicas", 3)
        .put("updatedReplicas", 3)
        .put("readyReplicas", 3)
        .put("availableReplicas", 3);
  }

  @Benchmark
  public DriftReport detect() {
    return detector.detect(desired, live);
  }

  @Benchmark
  public void jsonEqualsFloor(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(desiredList.get(i).body().equals(liveList.get(i).body()));
    }
  }

  /**
   * {@code JsonNode.equals} between each desired object and an equal copy: a full traversal, where
   * {@link #jsonEqualsFloor} stops at the first server-added field.
   */
  @Benchmark
  public void jsonEqualsFullTraversal(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(desiredList.get(i).body().equals(desiredCopies.get(i)));
    }
  }

  @Benchmark
  public void zjsonpatchJsonDiff(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(JsonDiff.asJson(live2.get(i), desired2.get(i)));
    }
  }
}
