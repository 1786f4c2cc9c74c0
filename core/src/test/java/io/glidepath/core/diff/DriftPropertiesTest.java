package io.glidepath.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class DriftPropertiesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final DriftDetector DETECTOR = DriftDetector.of(DiffOptions.ofDefaults());

  @Property(tries = 200)
  void comparingAnObjectWithItselfFindsNoDrift(@ForAll("deployments") ObjectNode d) {
    ResourceDrift drift = DETECTOR.compare(Resource.of(d), Resource.of(d));
    assertThat(drift.status()).isEqualTo(DriftStatus.SYNCED);
    assertThat(drift.patch()).isEmpty();
    assertThat(drift.unifiedDiff()).isEmpty();
  }

  @Property(tries = 200)
  void whatTheServerAddsIsNeverDrift(
      @ForAll("deployments") ObjectNode d, @ForAll boolean lastApplied) {
    ObjectNode live = serverize(d, lastApplied);
    assertThat(DETECTOR.compare(Resource.of(d), Resource.of(live)).status())
        .isEqualTo(DriftStatus.SYNCED);
  }

  @Property(tries = 300)
  void applyingThePatchToLiveYieldsDesiredOnEveryComparedField(
      @ForAll("deployments") ObjectNode desired,
      @ForAll("deployments") ObjectNode other,
      @ForAll boolean lastApplied) {
    // live: another object under the desired name, as the server returns it
    other.withObjectProperty("metadata").put("name", desired.at("/metadata/name").stringValue());
    ObjectNode live = serverize(other, lastApplied);
    ResourceDrift drift = DETECTOR.compare(Resource.of(desired), Resource.of(live));
    JsonNode patched = JsonPatch.apply(drift.comparedLive().orElseThrow(), drift.patch());
    assertThat(patched).isEqualTo(drift.comparedDesired().orElseThrow());
    assertThat(drift.status() == DriftStatus.SYNCED).isEqualTo(drift.patch().isEmpty());
  }

  @Property(tries = 300)
  void noSecretValueAppearsInAnyOutput(
      @ForAll("secretValues") List<String> desiredValues,
      @ForAll("secretValues") List<String> liveValues,
      @ForAll boolean useStringData,
      @ForAll boolean lastApplied) {
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

  @Property(tries = 200)
  void equalSecretValuesGetEqualMasks(@ForAll("secretValues") List<String> values) {
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

  @Property(tries = 300)
  void addingAnIgnoreRuleNeverAddsDrift(
      @ForAll("deployments") ObjectNode desired,
      @ForAll("deployments") ObjectNode other,
      @ForAll boolean sameObject,
      @ForAll("rules") IgnoreDifference rule) {
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

  @Provide
  Arbitrary<IgnoreDifference> rules() {
    return Arbitraries.of(
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

  @Provide
  Arbitrary<List<String>> secretValues() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .numeric()
        .withChars('-', '_', '=', '+', '/')
        .ofMinLength(12)
        .ofMaxLength(30)
        .map(s -> "S3c" + s)
        .list()
        .ofMinSize(1)
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<ObjectNode> deployments() {
    Arbitrary<String> names = Arbitraries.of("d-one", "d-two", "d-other");
    Arbitrary<Integer> replicas = Arbitraries.integers().between(0, 20);
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(
                Arbitraries.of("app", "tier", "team", "env"),
                Arbitraries.of("a", "b", "trade", "prod"))
            .ofMaxSize(3);
    Arbitrary<List<ObjectNode>> containers = container().list().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(names, replicas, labels, containers)
        .as(
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

  private Arbitrary<ObjectNode> container() {
    Arbitrary<String> images = Arbitraries.of("app:1", "app:2", "sidecar:9");
    Arbitrary<String> cpu = Arbitraries.of("500m", "1", "1000m", "250m", "2");
    Arbitrary<String> memory = Arbitraries.of("512Mi", "1Gi", "1024Mi", "256Mi");
    Arbitrary<Integer> port = Arbitraries.of(8080, 9090);
    Arbitrary<List<String>> args = Arbitraries.of("-v", "--fast", "--x=1").list().ofMaxSize(2);
    return Combinators.combine(images, cpu, memory, port, args)
        .as(
            (image, c, m, p, a) -> {
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
