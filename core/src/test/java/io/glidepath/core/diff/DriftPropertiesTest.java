package io.glidepath.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class DriftPropertiesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final DriftDetector DETECTOR = DriftDetector.of(DiffOptions.ofDefaults());

  @Test
  void comparingAnObjectWithItselfFindsNoDrift() {
    qt().withExamples(200)
        .forAll(deployments())
        .checkAssert(DriftPropertiesTest::noDriftWithItself);
  }

  private static void noDriftWithItself(ObjectNode d) {
    ResourceDrift drift = DETECTOR.compare(Resource.of(d), Resource.of(d));
    assertThat(drift.status()).isEqualTo(DriftStatus.SYNCED);
    assertThat(drift.patch()).isEmpty();
    assertThat(drift.unifiedDiff()).isEmpty();
  }

  @Test
  void whatTheServerAddsIsNeverDrift() {
    qt().withExamples(200)
        .forAll(deployments(), booleans().all())
        .checkAssert(DriftPropertiesTest::serverFieldsAreNoDrift);
  }

  private static void serverFieldsAreNoDrift(ObjectNode d, boolean lastApplied) {
    ObjectNode live = serverize(d, lastApplied);
    assertThat(DETECTOR.compare(Resource.of(d), Resource.of(live)).status())
        .isEqualTo(DriftStatus.SYNCED);
  }

  @Test
  void applyingThePatchToLiveYieldsDesiredOnEveryComparedField() {
    qt().withExamples(300)
        .forAll(deployments(), deployments(), booleans().all())
        .checkAssert(DriftPropertiesTest::patchYieldsDesired);
  }

  private static void patchYieldsDesired(
      ObjectNode desired, ObjectNode other, boolean lastApplied) {
    // live: another object under the desired name, as the server returns it
    other.withObjectProperty("metadata").put("name", desired.at("/metadata/name").stringValue());
    ObjectNode live = serverize(other, lastApplied);
    ResourceDrift drift = DETECTOR.compare(Resource.of(desired), Resource.of(live));
    JsonNode patched = JsonPatch.apply(drift.comparedLive().orElseThrow(), drift.patch());
    assertThat(patched).isEqualTo(drift.comparedDesired().orElseThrow());
    assertThat(drift.status() == DriftStatus.SYNCED).isEqualTo(drift.patch().isEmpty());
  }

  @Test
  void noSecretValueAppearsInAnyOutput() {
    qt().withExamples(300)
        .forAll(secretValues(), secretValues(), booleans().all(), booleans().all())
        .checkAssert(DriftPropertiesTest::noSecretValueInOutput);
  }

  private static void noSecretValueInOutput(
      List<String> desiredValues,
      List<String> liveValues,
      boolean useStringData,
      boolean lastApplied) {
    ObjectNode desired = secret(desiredValues, useStringData);
    ObjectNode live = secret(liveValues, false);
    if (lastApplied) {
      // client-side apply keeps the old Secret, values and all, in an annotation
      live.withObjectProperty("metadata")
          .withObjectProperty("annotations")
          .put(
              "kubectl.kubernetes.io/last-applied-configuration",
              io.glidepath.core.yaml.Yaml.toJson(secret(liveValues, true)));
    }
    Resource d = Resource.of(desired);
    Resource l = Resource.of(live);
    ObjectNode annotated = deploymentWithSensitiveAnnotation(desiredValues.get(0));
    DriftReport report =
        DETECTOR.detect(
            ResourceSet.of(d, Resource.of(annotated)),
            ResourceSet.of(
                l,
                Resource.of(secret(liveValues, false).put("type", "x").deepCopy())
                    .withNamespace("other")));
    StringBuilder out = new StringBuilder();
    out.append(report).append(report.unifiedDiff()).append(report.summary());
    for (ResourceDrift drift : report.resources()) {
      out.append(drift)
          .append(drift.patch())
          .append(JsonPatch.toJson(drift.patch()))
          .append(drift.unifiedDiff())
          .append(drift.comparedDesired().map(Object::toString).orElse(""))
          .append(drift.comparedLive().map(Object::toString).orElse(""))
          .append(drift.desired().map(Object::toString).orElse(""))
          .append(drift.live().map(Object::toString).orElse(""));
    }
    String text = out.toString();
    List<String> all = new ArrayList<>(desiredValues);
    all.addAll(liveValues);
    for (String v : all) {
      assertThat(text).doesNotContain(v).doesNotContain(base64(v));
    }
  }

  @Test
  void equalSecretValuesGetEqualMasks() {
    qt().withExamples(200)
        .forAll(secretValues())
        .checkAssert(DriftPropertiesTest::equalValuesEqualMasks);
  }

  private static void equalValuesEqualMasks(List<String> values) {
    ObjectNode desired = secret(values, true);
    ObjectNode live = secret(values, false);
    ((ObjectNode) live.get("data")).put("k0", base64("changed-" + values.get(0)));
    ResourceDrift drift = DETECTOR.compare(Resource.of(desired), Resource.of(live));
    JsonNode d = drift.comparedDesired().orElseThrow().get("data");
    JsonNode l = drift.comparedLive().orElseThrow().get("data");
    for (int i = 1; i < values.size(); i++) {
      assertThat(l.get("k" + i)).isEqualTo(d.get("k" + i));
    }
    assertThat(l.get("k0")).isNotEqualTo(d.get("k0"));
    assertThat(drift.patch()).extracting(PatchOperation::path).containsExactly("/data/k0");
  }

  @Test
  void addingAnIgnoreRuleNeverAddsDrift() {
    qt().withExamples(300)
        .forAll(deployments(), deployments(), booleans().all(), rules())
        .checkAssert(DriftPropertiesTest::ignoreRuleNeverAddsDrift);
  }

  private static void ignoreRuleNeverAddsDrift(
      ObjectNode desired, ObjectNode other, boolean sameObject, IgnoreDifference rule) {
    ObjectNode live = serverize(sameObject ? desired : other, false);
    live.withObjectProperty("metadata").put("name", desired.at("/metadata/name").stringValue());
    Resource d = Resource.of(desired);
    Resource l = Resource.of(live);
    ResourceDrift without = DETECTOR.compare(d, l);
    ResourceDrift with =
        DriftDetector.of(DiffOptions.builder().ignoreDifference(rule).build()).compare(d, l);
    if (without.status() == DriftStatus.SYNCED) {
      assertThat(with.status()).isEqualTo(DriftStatus.SYNCED);
    }
    assertThat(with.patch().size()).isLessThanOrEqualTo(without.patch().size());
  }

  static Gen<IgnoreDifference> rules() {
    return arbitrary()
        .pick(
            IgnoreDifference.of("apps", "Deployment").withJsonPointers("/spec/replicas"),
            IgnoreDifference.of("apps", "Deployment").withJsonPointers("/metadata/labels"),
            IgnoreDifference.of("*", "*")
                .withJqPathExpressions(".spec.template.spec.containers[] | .image"),
            IgnoreDifference.of("apps", "Deployment")
                .withJqPathExpressions(
                    ".spec.template.spec.containers[] | select(.name == \"c0\") | .resources"),
            IgnoreDifference.of("apps", "Deployment").withName("d-other"),
            IgnoreDifference.of("apps", "Deployment")
                .withManagedFieldsManagers("kube-controller-manager"));
  }

  private static final List<Character> SECRET_CHARS =
      "abcdefghijklmnopqrstuvwxyz0123456789-_=+/".chars().mapToObj(c -> (char) c).toList();

  static Gen<List<String>> secretValues() {
    Gen<String> value =
        lists()
            .of(arbitrary().pick(SECRET_CHARS))
            .ofSizeBetween(12, 30)
            .map(cs -> "S3c" + cs.stream().map(String::valueOf).collect(Collectors.joining()));
    return lists().of(value).ofSizeBetween(1, 5);
  }

  static Gen<ObjectNode> deployments() {
    Gen<String> names = arbitrary().pick("d-one", "d-two", "d-other");
    Gen<Integer> replicas = integers().between(0, 20);
    Gen<Map<String, String>> labels =
        lists()
            .of(
                arbitrary()
                    .pick("app", "tier", "team", "env")
                    .zip(arbitrary().pick("a", "b", "trade", "prod"), Pair::of))
            .ofSizeBetween(0, 3)
            .map(
                entries -> {
                  Map<String, String> m = new LinkedHashMap<>();
                  entries.forEach(e -> m.put(e._1, e._2));
                  return m;
                });
    Gen<List<ObjectNode>> containers = lists().of(container()).ofSizeBetween(1, 3);
    return names.zip(
        replicas,
        labels,
        containers,
        (name, n, l, cs) -> {
          ObjectNode d = F.objectNode();
          d.put("apiVersion", "apps/v1").put("kind", "Deployment");
          ObjectNode meta = d.putObject("metadata");
          meta.put("name", name).put("namespace", "production");
          ObjectNode labelNode = meta.putObject("labels");
          l.forEach(labelNode::put);
          ObjectNode spec = d.putObject("spec");
          spec.put("replicas", n);
          spec.putObject("selector").putObject("matchLabels").put("app", name);
          ObjectNode template = spec.putObject("template");
          template.putObject("metadata").putObject("labels").put("app", name);
          ArrayNode list = template.putObject("spec").putArray("containers");
          for (int i = 0; i < cs.size(); i++) {
            list.add(cs.get(i).put("name", "c" + i));
          }
          return d;
        });
  }

  private static Gen<ObjectNode> container() {
    Gen<String> images = arbitrary().pick("app:1", "app:2", "sidecar:9");
    Gen<String> cpu = arbitrary().pick("500m", "1", "1000m", "250m", "2");
    Gen<String> memory = arbitrary().pick("512Mi", "1Gi", "1024Mi", "256Mi");
    Gen<Integer> port = arbitrary().pick(8080, 9090);
    Gen<List<String>> args =
        lists().of(arbitrary().pick("-v", "--fast", "--x=1")).ofSizeBetween(0, 2);
    return images.zip(
        cpu,
        memory,
        port.zip(args, Pair::of),
        (image, c, m, pa) -> {
          int p = pa._1;
          List<String> a = pa._2;

          ObjectNode container = F.objectNode();
          container.put("image", image);
          ObjectNode res = container.putObject("resources");
          res.putObject("limits").put("cpu", c).put("memory", m);
          container.putArray("ports").addObject().put("containerPort", p);
          if (!a.isEmpty()) {
            ArrayNode argList = container.putArray("args");
            a.forEach(argList::add);
          }
          return container;
        });
  }

  /** What the API server makes of an applied object. */
  private static ObjectNode serverize(ObjectNode applied, boolean withLastApplied) {
    ObjectNode live = applied.deepCopy();
    ObjectNode meta = live.withObjectProperty("metadata");
    meta.put("uid", "6f1c").put("resourceVersion", "42").put("generation", 3);
    meta.put("creationTimestamp", "2026-11-01T10:00:00Z");
    if (withLastApplied) {
      meta.withObjectProperty("annotations")
          .put(
              "kubectl.kubernetes.io/last-applied-configuration",
              io.glidepath.core.yaml.Yaml.toJson(applied));
    }
    meta.withObjectProperty("annotations").put("deployment.kubernetes.io/revision", "3");
    ObjectNode spec = live.withObjectProperty("spec");
    spec.put("progressDeadlineSeconds", 600).put("revisionHistoryLimit", 10);
    spec.putObject("strategy").put("type", "RollingUpdate");
    JsonNode containers = live.at("/spec/template/spec/containers");
    for (JsonNode c : containers) {
      ObjectNode container = (ObjectNode) c;
      container
          .put("imagePullPolicy", "IfNotPresent")
          .put("terminationMessagePath", "/dev/termination-log");
      for (JsonNode p : container.path("ports")) {
        ((ObjectNode) p).put("protocol", "TCP");
      }
      JsonNode limits = container.at("/resources/limits");
      if (limits instanceof ObjectNode l && "1000m".equals(l.path("cpu").asString())) {
        l.put("cpu", "1");
      }
    }
    ((ObjectNode) live.at("/spec/template/spec")).put("dnsPolicy", "ClusterFirst");
    live.putObject("status").put("replicas", 1).put("observedGeneration", 3);
    return live;
  }

  private static ObjectNode secret(List<String> values, boolean stringData) {
    ObjectNode s = F.objectNode();
    s.put("apiVersion", "v1").put("kind", "Secret");
    s.putObject("metadata").put("name", "db").put("namespace", "production");
    ObjectNode data = s.putObject(stringData ? "stringData" : "data");
    for (int i = 0; i < values.size(); i++) {
      data.put("k" + i, stringData ? values.get(i) : base64(values.get(i)));
    }
    return s;
  }

  private static ObjectNode deploymentWithSensitiveAnnotation(String value) {
    ObjectNode d = F.objectNode();
    d.put("apiVersion", "apps/v1").put("kind", "Deployment");
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", "annotated").put("namespace", "production");
    meta.putObject("annotations")
        .put("glidepath.io/sensitive-annotations", "vendor.io/api-key")
        .put("vendor.io/api-key", value);
    return d;
  }

  private static String base64(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }
}
