package io.glidepath.benchmarks.health;

import io.glidepath.core.Origin;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Health of 10,000 mixed live objects, warm: half are built-in kinds (Deployments, Pods, Services,
 * Jobs, HPAs, StatefulSets in several states), half custom resources of five kinds answered by Lua
 * scripts from an {@code argocd-cm} of the size Argo CD ships (20 to 40 lines: loops over
 * conditions, string work, a helper function). Scores are microseconds per object.
 *
 * <ul>
 *   <li>{@code mixed}: all 10,000 (goal: at most 20 us per object on average);
 *   <li>{@code luaOnly}: the 5,000 Lua-answered objects, the Lua share;
 *   <li>{@code builtInOnly}: the 5,000 built-in ones.
 * </ul>
 *
 * Run: {@code java -jar benchmarks/target/benchmarks.jar HealthBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HealthBenchmark {
  static final int OBJECTS = 10_000;

  HealthAssessor assessor;
  List<Resource> mixed;
  List<Resource> lua;
  List<Resource> builtIn;

  /** Scripts written for this benchmark in Argo CD's contract, sized like its bundled ones. */
  static final String CONDITIONS_SCRIPT =
      """
      local hs = {status = "Progressing", message = "Waiting for the controller"}
      local function condition(kind)
        if obj.status == nil or obj.status.conditions == nil then
          return nil
        end
        for _, c in ipairs(obj.status.conditions) do
          if c.type == kind then
            return c
          end
        end
        return nil
      end
      if obj.spec ~= nil and obj.spec.suspend == true then
        hs.status = "Suspended"
        hs.message = obj.kind .. " is suspended"
        return hs
      end
      if obj.status ~= nil and obj.status.observedGeneration ~= nil
          and obj.metadata.generation ~= nil
          and obj.status.observedGeneration < obj.metadata.generation then
        hs.message = "Waiting for generation " .. obj.metadata.generation
        return hs
      end
      local stalled = condition("Stalled")
      if stalled ~= nil and stalled.status == "True" then
        hs.status = "Degraded"
        hs.message = stalled.message or stalled.reason or "stalled"
        return hs
      end
      local ready = condition("Ready")
      if ready ~= nil then
        if ready.status == "True" then
          hs.status = "Healthy"
        elseif ready.status == "False" then
          hs.status = "Degraded"
        end
        hs.message = ready.message or ""
      end
      return hs
      """;

  static final String PHASE_SCRIPT =
      """
      hs = {}
      local phase = ""
      if obj.status ~= nil and obj.status.phase ~= nil then
        phase = obj.status.phase
      end
      local failed = 0
      if obj.status ~= nil and obj.status.members ~= nil then
        for _, m in ipairs(obj.status.members) do
          if m.state ~= "Ready" then
            failed = failed + 1
          end
        end
      end
      if phase == "Running" and failed == 0 then
        hs.status = "Healthy"
        hs.message = "all " .. table.getn(obj.status.members or {}) .. " members ready"
      elseif phase == "Failed" or failed > 1 then
        hs.status = "Degraded"
        hs.message = failed .. " members not ready"
      else
        hs.status = "Progressing"
        hs.message = "phase " .. phase
      end
      return hs
      """;

  static final List<String> LUA_KINDS = List.of("Database", "Cache", "Queue", "Bucket", "Topic");

  @Setup
  public void setUp() {
    HealthAssessor.Builder b = HealthAssessor.builder();
    for (int i = 0; i < LUA_KINDS.size(); i++) {
      String kind = LUA_KINDS.get(i);
      b.script(
          new HealthScript(
              "resource.customizations.health.platform.example.com_" + kind,
              "platform.example.com",
              kind,
              i % 2 == 0 ? CONDITIONS_SCRIPT : PHASE_SCRIPT,
              false,
              Origin.of("argocd-cm.yaml")));
    }
    assessor = b.build();
    lua = new ArrayList<>();
    builtIn = new ArrayList<>();
    for (int i = 0; i < OBJECTS / 2; i++) {
      lua.add(customResource(i));
      builtIn.add(builtInResource(i));
    }
    mixed = new ArrayList<>();
    for (int i = 0; i < OBJECTS / 2; i++) {
      mixed.add(builtIn.get(i));
      mixed.add(lua.get(i));
    }
    // every object must be answered, and the Lua ones by Lua
    for (Resource r : lua) {
      if (!assessor.explain(r).origin().type().name().equals("LUA")) {
        throw new IllegalStateException("not answered by Lua: " + r.key());
      }
    }
    for (Resource r : builtIn) {
      assessor.assess(r).orElseThrow();
    }
  }

  static Resource customResource(int i) {
    String kind = LUA_KINDS.get(i % LUA_KINDS.size());
    String ready = i % 7 == 0 ? "False" : "True";
    return Yaml.readResources(
            """
            apiVersion: platform.example.com/v1
            kind: %s
            metadata:
              name: item-%d
              namespace: team-%d
              generation: %d
              labels: {app.kubernetes.io/name: item-%d, app.kubernetes.io/part-of: shop, team: t%d}
              annotations: {argocd.argoproj.io/tracking-id: 'shop:platform.example.com/%s:team-%d/item-%d'}
              uid: 5f2b9c1e-0000-4000-8000-%012d
              resourceVersion: "%d"
            spec:
              size: %d
              suspend: %s
              engine: {name: postgres, version: "16.2"}
              backup: {schedule: "0 3 * * *", retentionDays: 7}
            status:
              observedGeneration: %d
              phase: %s
              members:
              - {name: m0, state: Ready}
              - {name: m1, state: %s}
              - {name: m2, state: Ready}
              conditions:
              - {type: Synced, status: "True", reason: ReconcileSuccess, lastTransitionTime: "2026-01-01T00:00:00Z"}
              - {type: Ready, status: "%s", reason: Available, message: "instance is %s", lastTransitionTime: "2026-01-01T00:00:00Z"}
            """
                .formatted(
                    kind,
                    i,
                    i % 40,
                    3 + i % 3,
                    i,
                    i % 9,
                    kind,
                    i % 40,
                    i,
                    i,
                    1000 + i,
                    1 + i % 5,
                    i % 31 == 0,
                    3 + (i % 11 == 0 ? 0 : i % 3),
                    i % 5 == 0 ? "Pending" : "Running",
                    i % 13 == 0 ? "Failed" : "Ready",
                    ready,
                    ready.equals("True") ? "available" : "down"),
            "cr.yaml")
        .get(0);
  }

  static Resource builtInResource(int i) {
    String yaml =
        switch (i % 6) {
          case 0 ->
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web-%d, namespace: shop, generation: 4, labels: {app: web}}
              spec: {replicas: 3, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1.%d"}]}}}
              status:
                observedGeneration: 4
                replicas: 3
                updatedReplicas: 3
                availableReplicas: %d
                conditions:
                - {type: Available, status: "True", reason: MinimumReplicasAvailable}
                - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
              """
                  .formatted(i, i % 9, i % 4 == 0 ? 2 : 3);
          case 1 ->
              """
              apiVersion: v1
              kind: Pod
              metadata: {name: web-%d, namespace: shop, annotations: {kubectl.kubernetes.io/default-container: web}}
              spec: {restartPolicy: Always, containers: [{name: web, image: "web:1"}]}
              status:
                phase: Running
                conditions:
                - {type: Initialized, status: "True"}
                - {type: Ready, status: "%s"}
                containerStatuses:
                - {name: web, ready: true, restartCount: 0, state: {running: {startedAt: "2026-01-01T00:00:00Z"}}}
              """
                  .formatted(i, i % 5 == 0 ? "False" : "True");
          case 2 ->
              """
              apiVersion: v1
              kind: Service
              metadata: {name: web-%d, namespace: shop}
              spec: {type: %s, ports: [{port: 80}]}
              status: {loadBalancer: {ingress: [{ip: 10.0.0.1}]}}
              """
                  .formatted(i, i % 2 == 0 ? "ClusterIP" : "LoadBalancer");
          case 3 ->
              """
              apiVersion: batch/v1
              kind: Job
              metadata: {name: migrate-%d, namespace: shop}
              spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: "m:1"}]}}}
              status:
                conditions:
                - {type: Complete, status: "True", message: done}
              """
                  .formatted(i);
          case 4 ->
              """
              apiVersion: autoscaling/v2
              kind: HorizontalPodAutoscaler
              metadata: {name: web-%d, namespace: shop}
              spec: {minReplicas: 2, maxReplicas: 10, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
              status:
                conditions:
                - {type: AbleToScale, status: "True", reason: ReadyForNewScale, message: recommended size matches current size}
                - {type: ScalingActive, status: "True", reason: ValidMetricFound}
              """
                  .formatted(i);
          default ->
              """
              apiVersion: apps/v1
              kind: StatefulSet
              metadata: {name: db-%d, namespace: shop, generation: 2}
              spec: {replicas: 3, updateStrategy: {type: RollingUpdate}}
              status: {observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 3, currentRevision: db-1, updateRevision: db-1}
              """
                  .formatted(i);
        };
    return Yaml.readResources(yaml, "builtin.yaml").get(0);
  }

  @Benchmark
  @OperationsPerInvocation(OBJECTS)
  public void mixed(Blackhole bh) {
    for (Resource r : mixed) {
      bh.consume(assessor.assess(r));
    }
  }

  @Benchmark
  @OperationsPerInvocation(OBJECTS / 2)
  public void luaOnly(Blackhole bh) {
    for (Resource r : lua) {
      bh.consume(assessor.assess(r));
    }
  }

  @Benchmark
  @OperationsPerInvocation(OBJECTS / 2)
  public void builtInOnly(Blackhole bh) {
    for (Resource r : builtIn) {
      bh.consume(assessor.assess(r));
    }
  }
}
