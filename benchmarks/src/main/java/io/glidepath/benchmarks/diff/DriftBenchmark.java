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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drift detection over 10,000 Deployment-sized pairs against two references measured in the same
 * run.
 *
 * <p>Workload: desired objects as rendered from Git; live objects as the API server returns them
 * after a server-side apply ({@link #LIVE}: Go struct field order, server metadata, {@code
 * managedFields}, defaults, canonical quantities, status). One pair in ten is modified (an image
 * set with {@code kubectl set image}, an env value edited by hand, a replica count scaled by hand,
 * in turn), one in ten was scaled by an HPA (not drift). Every tree is parsed on its own, so no
 * node is shared between trees.
 *
 * <ul>
 *   <li>{@code jsonEqualsFloor}: one plain {@code JsonNode.equals(desired, live)} per pair, the
 *       floor as the issue words it (goal: full detection within 3x of it). It returns at once: the
 *       live object has more fields;
 *   <li>{@code jsonEqualsFullTraversal}: {@code JsonNode.equals} of each desired object with an
 *       equal, separately parsed copy, which walks the whole tree: the floor of any comparison that
 *       looks at every field;
 *   <li>{@code readBothTrees}: reading every field of both objects without comparing (status and
 *       managedFields left out), informational: what touching the trees alone costs;
 *   <li>{@code zjsonpatchJsonDiff}: zjsonpatch's {@code JsonDiff.asJson(live, desired)} per pair
 *       (goal: detection at least 5x faster).
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

  /**
   * The same Deployment as the API server returns it after Glidepath applied it with server-side
   * apply: fields in Go struct order (not the applied order), server metadata, the tracking and
   * revision annotations, {@code managedFields} (Glidepath's apply entry naming exactly the fields
   * it set, the deployment controller's entries), defaults ({@code protocol}, probe timeouts,
   * {@code imagePullPolicy}, strategy, ...), canonical quantities ({@code cpu: "1"} for {@code
   * 1000m}) and a status with conditions.
   */
  private static final String LIVE =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: NAME
        namespace: production
        uid: 0b7a3c52-1111-4c1e-9a55-UID
        resourceVersion: "918273"
        generation: 7
        creationTimestamp: "2026-11-01T10:00:00Z"
        labels: {app: NAME, team: payments, tier: backend}
        annotations:
          deployment.kubernetes.io/revision: "7"
          glidepath.io/tracking-id: "payments:apps/Deployment:production/NAME"
          owner: sre@example.com
        managedFields:
          - manager: glidepath
            operation: Apply
            apiVersion: apps/v1
            time: "2026-11-20T08:15:00Z"
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:annotations:
                  f:glidepath.io/tracking-id: {}
                  f:owner: {}
                f:labels:
                  f:app: {}
                  f:team: {}
                  f:tier: {}
              f:spec:
                f:replicas: {}
                f:selector: {}
                f:template:
                  f:metadata:
                    f:labels:
                      f:app: {}
                      f:team: {}
                  f:spec:
                    f:containers:
                      k:{"name":"app"}:
                        .: {}
                        f:args: {}
                        f:env:
                          k:{"name":"JAVA_OPTS"}:
                            .: {}
                            f:name: {}
                            f:value: {}
                          k:{"name":"REGION"}:
                            .: {}
                            f:name: {}
                            f:value: {}
                        f:image: {}
                        f:livenessProbe:
                          f:httpGet:
                            f:path: {}
                            f:port: {}
                          f:initialDelaySeconds: {}
                          f:periodSeconds: {}
                        f:name: {}
                        f:ports:
                          k:{"containerPort":8080,"protocol":"TCP"}:
                            .: {}
                            f:containerPort: {}
                            f:name: {}
                        f:readinessProbe:
                          f:httpGet:
                            f:path: {}
                            f:port: {}
                          f:initialDelaySeconds: {}
                          f:periodSeconds: {}
                        f:resources:
                          f:limits:
                            f:cpu: {}
                            f:memory: {}
                          f:requests:
                            f:cpu: {}
                            f:memory: {}
                      k:{"name":"proxy"}:
                        .: {}
                        f:image: {}
                        f:name: {}
                        f:ports:
                          k:{"containerPort":15001,"protocol":"TCP"}:
                            .: {}
                            f:containerPort: {}
                            f:name: {}
                    f:serviceAccountName: {}
          - manager: kube-controller-manager
            operation: Update
            apiVersion: apps/v1
            time: "2026-11-20T08:15:02Z"
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:annotations:
                  .: {}
                  f:deployment.kubernetes.io/revision: {}
          - manager: kube-controller-manager
            operation: Update
            apiVersion: apps/v1
            time: "2026-11-20T08:16:40Z"
            fieldsType: FieldsV1
            subresource: status
            fieldsV1:
              f:status:
                f:availableReplicas: {}
                f:conditions:
                  .: {}
                  k:{"type":"Available"}:
                    .: {}
                    f:lastTransitionTime: {}
                    f:lastUpdateTime: {}
                    f:message: {}
                    f:reason: {}
                    f:status: {}
                    f:type: {}
                  k:{"type":"Progressing"}:
                    .: {}
                    f:lastTransitionTime: {}
                    f:lastUpdateTime: {}
                    f:message: {}
                    f:reason: {}
                    f:status: {}
                    f:type: {}
                f:observedGeneration: {}
                f:readyReplicas: {}
                f:replicas: {}
                f:updatedReplicas: {}
      spec:
        replicas: 3
        selector:
          matchLabels: {app: NAME}
        template:
          metadata:
            creationTimestamp: null
            labels: {app: NAME, team: payments}
          spec:
            containers:
              - name: app
                image: registry.example.com/org/NAME:v1.4.2
                args: ["--port=8080", "--log-level=info"]
                ports:
                  - {name: http, containerPort: 8080, protocol: TCP}
                env:
                  - {name: JAVA_OPTS, value: "-Xmx512m"}
                  - {name: REGION, value: eu-west-1}
                resources:
                  limits: {cpu: "1", memory: 1Gi}
                  requests: {cpu: 500m, memory: 512Mi}
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080, scheme: HTTP}
                  initialDelaySeconds: 30
                  timeoutSeconds: 1
                  periodSeconds: 10
                  successThreshold: 1
                  failureThreshold: 3
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080, scheme: HTTP}
                  initialDelaySeconds: 10
                  timeoutSeconds: 1
                  periodSeconds: 5
                  successThreshold: 1
                  failureThreshold: 3
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                imagePullPolicy: IfNotPresent
              - name: proxy
                image: registry.example.com/proxy:2.1
                ports:
                  - {name: proxy, containerPort: 15001, protocol: TCP}
                resources: {}
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                imagePullPolicy: IfNotPresent
            restartPolicy: Always
            terminationGracePeriodSeconds: 30
            dnsPolicy: ClusterFirst
            serviceAccountName: NAME
            serviceAccount: NAME
            securityContext: {}
            schedulerName: default-scheduler
        strategy:
          type: RollingUpdate
          rollingUpdate: {maxUnavailable: 25%, maxSurge: 25%}
        revisionHistoryLimit: 10
        progressDeadlineSeconds: 600
      status:
        observedGeneration: 7
        replicas: 3
        updatedReplicas: 3
        readyReplicas: 3
        availableReplicas: 3
        conditions:
          - type: Available
            status: "True"
            lastUpdateTime: "2026-11-20T08:16:40Z"
            lastTransitionTime: "2026-11-01T10:00:10Z"
            reason: MinimumReplicasAvailable
            message: Deployment has minimum availability.
          - type: Progressing
            status: "True"
            lastUpdateTime: "2026-11-20T08:16:40Z"
            lastTransitionTime: "2026-11-01T10:00:00Z"
            reason: NewReplicaSetAvailable
            message: ReplicaSet "NAME-6d4cf56db6" has successfully progressed.
      """;

  /**
   * What each pair's live object is: one in ten is modified (three kinds of change in turn), one in
   * ten was scaled by a HorizontalPodAutoscaler (not drift), the rest are as applied.
   */
  enum Variant {
    /** As applied. */
    SYNCED,
    /** {@code kubectl set image} on the app container: kubectl-set owns the image now. */
    IMAGE_SET,
    /** A hand edit of an env value (kubectl-edit owns it now). */
    ENV_EDITED,
    /** {@code kubectl scale --replicas=5} (the scale subresource; a manual manager). */
    SCALED_BY_HAND,
    /** The HPA scaled to 7 through the scale subresource: it owns {@code spec.replicas}. */
    SCALED_BY_HPA;

    static Variant of(int i) {
      if (i % 10 == 0) {
        return values()[1 + (i / 10) % 3];
      }
      return i % 10 == 5 ? SCALED_BY_HPA : SYNCED;
    }

    boolean drifts() {
      return this == IMAGE_SET || this == ENV_EDITED || this == SCALED_BY_HAND;
    }
  }

  @Setup
  public void setup() throws Exception {
    ObjectMapper jackson2 = new ObjectMapper();
    Map<Variant, String> liveJson = new EnumMap<>(Variant.class);
    for (Variant v : Variant.values()) {
      liveJson.put(v, Yaml.toJson(liveTemplate(v)));
    }
    desiredList = new ArrayList<>(PAIRS);
    liveList = new ArrayList<>(PAIRS);
    desired2 = new ArrayList<>(PAIRS);
    live2 = new ArrayList<>(PAIRS);
    desiredCopies = new ArrayList<>(PAIRS);
    int drifting = 0;
    for (int i = 0; i < PAIRS; i++) {
      String name = "svc-" + i;
      Variant variant = Variant.of(i);
      drifting += variant.drifts() ? 1 : 0;
      // every tree is parsed on its own, as objects read from Git (YAML) and from the API server
      // (JSON) are: no node is shared between two trees
      String d = DEPLOYMENT.replace("NAME", name);
      String l =
          liveJson
              .get(variant)
              .replace("NAME", name)
              .replace("UID", String.format(Locale.ROOT, "%012x", i));
      desiredList.add(Yaml.readResources(d, name + ".yaml").get(0));
      liveList.add(Resource.of(Yaml.mapper().readTree(l)));
      desiredCopies.add(Yaml.readTree(d, name + ".yaml"));
      desired2.add(jackson2.readTree(Yaml.toJson(desiredList.get(i).body())));
      live2.add(jackson2.readTree(l));
    }
    desired = ResourceSet.of(desiredList);
    live = ResourceSet.of(liveList);
    detector = DriftDetector.of(DiffOptions.ofDefaults());
    DriftReport check = detector.detect(desired, live);
    if (check.summary().modified() != drifting || check.summary().synced() != PAIRS - drifting) {
      throw new IllegalStateException("unexpected benchmark data: " + check.summary());
    }
  }

  /** The live object of a variant, with {@code NAME} and {@code UID} placeholders. */
  static ObjectNode liveTemplate(Variant variant) {
    ObjectNode live = (ObjectNode) Yaml.readTree(LIVE, "live.yaml");
    ArrayNode managed = (ArrayNode) live.at("/metadata/managedFields");
    ObjectNode ours = (ObjectNode) managed.get(0).get("fieldsV1");
    ObjectNode app = (ObjectNode) live.at("/spec/template/spec/containers/0");
    ObjectNode oursApp =
        (ObjectNode) ours.at("/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"app\"}");
    switch (variant) {
      case SYNCED -> {}
      case IMAGE_SET -> {
        app.put("image", "registry.example.com/org/NAME:v1.4.3-hotfix");
        oursApp.remove("f:image");
        managed.add(
            update(
                "kubectl-set",
                null,
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
                    + "{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:image\":{}}}}}}}"));
      }
      case ENV_EDITED -> {
        ((ObjectNode) app.at("/env/1")).put("value", "eu-central-1");
        ((ObjectNode) oursApp.at("/f:env/k:{\"name\":\"REGION\"}")).remove("f:value");
        managed.add(
            update(
                "kubectl-edit",
                null,
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
                    + "{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:env\":"
                    + "{\"k:{\\\"name\\\":\\\"REGION\\\"}\":{\"f:value\":{}}}}}}}}}"));
      }
      case SCALED_BY_HAND, SCALED_BY_HPA -> {
        boolean hpa = variant == Variant.SCALED_BY_HPA;
        ((ObjectNode) live.get("spec")).put("replicas", hpa ? 7 : 5);
        ((ObjectNode) ours.get("f:spec")).remove("f:replicas");
        managed.add(
            update(
                hpa ? "kube-controller-manager" : "kubectl",
                "scale",
                "{\"f:spec\":{\"f:replicas\":{}}}"));
      }
    }
    return live;
  }

  private static ObjectNode update(String manager, String subresource, String fields) {
    ObjectNode entry = Yaml.mapper().createObjectNode();
    entry
        .put("manager", manager)
        .put("operation", "Update")
        .put("apiVersion", "apps/v1")
        .put("time", "2026-11-24T16:02:11Z")
        .put("fieldsType", "FieldsV1");
    if (subresource != null) {
      entry.put("subresource", subresource);
    }
    entry.set("fieldsV1", Yaml.readTree(fields, "fields.json"));
    return entry;
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

  /**
   * Reads what any detector must read at least: every field of each desired object, and every field
   * of each live object except {@code status} and {@code metadata.managedFields} (name, value; the
   * length of each string). No comparison: the cost of touching the two trees, a floor for a
   * detector that compares every field and cannot know which live fields are defaults without
   * looking at them.
   */
  @Benchmark
  public long readBothTrees() {
    long sum = 0;
    for (int i = 0; i < PAIRS; i++) {
      sum += read(desiredList.get(i).body(), null);
      sum += read(liveList.get(i).body(), "status");
    }
    return sum;
  }

  private static long read(JsonNode node, String skip) {
    long sum = 0;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        if (!key.equals(skip) && !key.equals("managedFields")) {
          sum += key.hashCode() + read(e.getValue(), null);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        sum += read(element, null);
      }
    } else {
      sum += node.isString() ? node.stringValue().length() : 1;
    }
    return sum;
  }

  @Benchmark
  public void zjsonpatchJsonDiff(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(JsonDiff.asJson(live2.get(i), desired2.get(i)));
    }
  }
}
