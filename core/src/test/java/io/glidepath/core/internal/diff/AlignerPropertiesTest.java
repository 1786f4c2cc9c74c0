package io.glidepath.core.internal.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.glidepath.core.diff.DiffOptions;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast synced check ({@link Aligner#alignsEqual}) decides "no drift" without building the
 * compared trees; it must say so exactly when the trees {@link Aligner#align} builds are equal,
 * whoever owns which field (managedFields of our manager, of controllers, of manual editors, of
 * ignored managers; or the last-applied annotation).
 */
class AlignerPropertiesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void theSyncedCheckAgreesWithTheComparedTrees() {
    qt().withExamples(1000)
        .forAll(longs().all())
        .checkAssert(AlignerPropertiesTest::syncedCheckAgreesWithTheTrees);
  }

  private static void syncedCheckAgreesWithTheTrees(long seed) {
    Random r = new Random(seed);
    ObjectNode desired = deployment(r);
    ObjectNode live = serverized(desired, r);
    ObjectNode lastApplied = null;
    switch (r.nextInt(4)) {
      case 0 -> {} // nothing known of who set what: two-way
      case 1 -> lastApplied = (ObjectNode) fieldsOrSelf(r.nextBoolean() ? desired : live, r);
      default -> {
        ArrayNode managed = live.withObjectProperty("metadata").putArray("managedFields");
        if (r.nextInt(5) > 0) {
          managed.add(entry("glidepath", null, fields(r.nextBoolean() ? desired : live, r, 0.9)));
        }
        if (r.nextBoolean()) {
          String sub = r.nextBoolean() ? "scale" : r.nextBoolean() ? "status" : null;
          managed.add(entry("kube-controller-manager", sub, fields(live, r, 0.3)));
        }
        if (r.nextBoolean()) {
          managed.add(entry("kubectl-edit", null, fields(live, r, 0.2)));
        }
      }
    }
    Set<String> ignored = r.nextInt(4) == 0 ? Set.of("kube-controller-manager") : Set.of();
    Aligner.Pair trees = Aligner.align(desired, live, ownership(live, ignored, lastApplied));
    boolean equalTrees = trees.desired().equals(trees.live());

    boolean synced = Aligner.alignsEqual(desired, live, ownership(live, ignored, lastApplied));

    assertThat(synced).as("synced check of %s against %s", desired, live).isEqualTo(equalTrees);
  }

  private static Ownership ownership(ObjectNode live, Set<String> ignored, ObjectNode last) {
    return Ownership.of(live, "glidepath", DiffOptions.DEFAULT_MANUAL_EDIT_MANAGERS, ignored, last);
  }

  private static ObjectNode deployment(Random r) {
    ObjectNode d = F.objectNode();
    d.put("apiVersion", "apps/v1").put("kind", "Deployment");
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", "web").put("namespace", "prod");
    ObjectNode labels = meta.putObject("labels").put("app", "web");
    if (r.nextBoolean()) {
      labels.put("team", "payments");
    }
    if (r.nextBoolean()) {
      meta.putObject("annotations").put("owner", "sre");
    }
    ObjectNode spec = d.putObject("spec");
    if (r.nextInt(4) > 0) {
      spec.put("replicas", 1 + r.nextInt(3));
    }
    spec.putObject("selector").putObject("matchLabels").put("app", "web");
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", "web");
    ArrayNode containers = template.putObject("spec").putArray("containers");
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      ObjectNode c =
          containers.addObject().put("name", "c" + i).put("image", "img:" + r.nextInt(2));
      if (r.nextBoolean()) {
        c.putArray("args").add("--a").add("--b=" + r.nextInt(2));
      }
      if (r.nextBoolean()) {
        ObjectNode port = c.putArray("ports").addObject().put("containerPort", 8080 + i);
        if (r.nextBoolean()) {
          port.put("name", "p" + i);
        }
      }
      if (r.nextBoolean()) {
        ArrayNode env = c.putArray("env");
        env.addObject().put("name", "A").put("value", "1");
        if (r.nextBoolean()) {
          env.addObject().put("name", "B").put("value", "x");
        }
      }
      if (r.nextBoolean()) {
        c.putObject("resources")
            .putObject("limits")
            .put("cpu", r.nextBoolean() ? "1000m" : "500m")
            .put("memory", "1Gi");
      }
      if (r.nextInt(4) == 0) {
        c.putObject("readinessProbe").put("periodSeconds", 5).putObject("httpGet").put("port", 80);
      }
    }
    return d;
  }

  /** The live object: the desired one as the server returns it, sometimes changed on the way. */
  private static ObjectNode serverized(ObjectNode desired, Random r) {
    ObjectNode live = desired.deepCopy();
    ObjectNode meta = (ObjectNode) live.get("metadata");
    meta.put("uid", "u-1").put("resourceVersion", "7").put("generation", 2);
    if (r.nextBoolean()) {
      meta.withObjectProperty("annotations").put("deployment.kubernetes.io/revision", "2");
    }
    if (r.nextInt(5) == 0) {
      ((ObjectNode) meta.get("labels")).put("app", "other");
    }
    if (r.nextInt(5) == 0) {
      ((ObjectNode) meta.get("labels")).put("extra", "yes");
    }
    ObjectNode spec = (ObjectNode) live.get("spec");
    switch (r.nextInt(4)) {
      case 0 -> spec.put("replicas", 7);
      case 1 -> spec.remove("replicas");
      default -> {}
    }
    spec.put("revisionHistoryLimit", 10);
    if (r.nextBoolean()) {
      spec.putObject("strategy").put("type", "RollingUpdate");
    }
    ObjectNode podSpec = (ObjectNode) live.at("/spec/template/spec");
    podSpec.put("dnsPolicy", "ClusterFirst");
    ArrayNode containers = (ArrayNode) podSpec.get("containers");
    for (JsonNode node : containers) {
      ObjectNode c = (ObjectNode) node;
      c.put("imagePullPolicy", "IfNotPresent");
      for (JsonNode p : c.path("ports")) {
        ((ObjectNode) p).put("protocol", r.nextInt(6) == 0 ? "UDP" : "TCP");
      }
      if (c.at("/resources/limits") instanceof ObjectNode limits && r.nextBoolean()) {
        limits.put("cpu", "1000m".equals(limits.path("cpu").asString()) ? "1" : "0.5");
      }
      if (r.nextInt(6) == 0) {
        c.put("image", "img:changed");
      }
      if (r.nextInt(8) == 0) {
        c.remove("args");
      }
      if (c.get("readinessProbe") instanceof ObjectNode probe) {
        probe.put("timeoutSeconds", 1);
      }
    }
    switch (r.nextInt(6)) {
      case 0 -> containers.addObject().put("name", "injected").put("image", "sidecar:1");
      case 1 -> {
        if (containers.size() > 1) {
          containers.insert(0, containers.remove(containers.size() - 1));
        }
      }
      case 2 -> containers.remove(containers.size() - 1);
      default -> {}
    }
    live.putObject("status").put("replicas", 3);
    return live;
  }

  private static ObjectNode entry(String manager, String subresource, ObjectNode fields) {
    ObjectNode e = F.objectNode().put("manager", manager).put("operation", "Apply");
    if (subresource != null) {
      e.put("subresource", subresource);
    }
    e.set("fieldsV1", fields);
    return e;
  }

  /** A managedFields set naming each field of {@code object} with probability {@code keep}. */
  private static ObjectNode fields(JsonNode object, Random r, double keep) {
    ObjectNode out = F.objectNode();
    for (var e : object.properties()) {
      if (r.nextDouble() >= keep || e.getKey().equals("status")) {
        continue;
      }
      JsonNode v = e.getValue();
      String f = "f:" + e.getKey();
      if (v.isObject()) {
        out.set(f, fields(v, r, keep));
      } else if (v.isArray() && v.size() > 0 && v.get(0).isObject()) {
        ObjectNode elements = F.objectNode();
        for (JsonNode element : v) {
          if (r.nextDouble() >= keep) {
            continue;
          }
          String k;
          if (element.has("name")) {
            k = "k:{\"name\":\"" + element.get("name").asString() + "\"}";
          } else if (element.has("containerPort")) {
            k =
                "k:{\"containerPort\":"
                    + element.get("containerPort").asInt()
                    + ",\"protocol\":\"TCP\"}";
          } else {
            continue;
          }
          ObjectNode sub = fields(element, r, keep);
          sub.putObject(".");
          elements.set(k, sub);
        }
        out.set(f, elements);
      } else {
        out.putObject(f);
      }
    }
    return out;
  }

  /** A last-applied configuration: the object, with some fields left out. */
  private static JsonNode fieldsOrSelf(JsonNode object, Random r) {
    if (!object.isObject()) {
      return object.deepCopy();
    }
    ObjectNode out = F.objectNode();
    for (var e : object.properties()) {
      if (r.nextInt(8) > 0 && !e.getKey().equals("status")) {
        out.set(e.getKey(), fieldsOrSelf(e.getValue(), r));
      }
    }
    return out;
  }
}
