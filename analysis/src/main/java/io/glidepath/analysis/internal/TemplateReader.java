package io.glidepath.analysis.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Argument;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.TemplateException;
import io.glidepath.analysis.condition.ConditionSyntaxException;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads Argo Rollouts (Cluster)AnalysisTemplates strictly: unknown fields are errors. */
public final class TemplateReader {
  private static final Set<String> KINDS = Set.of("AnalysisTemplate", "ClusterAnalysisTemplate");

  /**
   * Provider settings we check field by field (each provider's {@code validate} checks values);
   * other provider types are kept as written and checked by their provider when a plan is built.
   */
  private static final Map<String, Set<String>> PROVIDER_FIELDS =
      Map.ofEntries(
          Map.entry(
              "prometheus",
              Set.of(
                  "address",
                  "query",
                  "timeout",
                  "insecure",
                  "headers",
                  "authentication",
                  "rangeQuery")),
          Map.entry(
              "web",
              Set.of(
                  "url",
                  "method",
                  "headers",
                  "body",
                  "jsonBody",
                  "timeoutSeconds",
                  "jsonPath",
                  "jsonPointer",
                  "insecure",
                  "authentication")),
          Map.entry(
              "datadog",
              Set.of(
                  "apiVersion",
                  "interval",
                  "query",
                  "queries",
                  "formula",
                  "aggregator",
                  "secretRef",
                  "requestTimeout")),
          Map.entry("newRelic", Set.of("profile", "query", "timeout")),
          Map.entry("wavefront", Set.of("address", "query")),
          Map.entry("graphite", Set.of("address", "query")),
          Map.entry("influxdb", Set.of("profile", "query")),
          Map.entry(
              "kayenta",
              Set.of(
                  "address",
                  "application",
                  "canaryConfigName",
                  "metricsAccountName",
                  "configurationAccountName",
                  "storageAccountName",
                  "threshold",
                  "scopes")),
          Map.entry("skywalking", Set.of("address", "query", "interval")),
          Map.entry("cloudWatch", Set.of("interval", "metricDataQueries")),
          Map.entry("job", Set.of("metadata", "spec")),
          Map.entry("recorded", Set.of("file", "format", "metric")));

  private TemplateReader() {}

  /** Every template in a YAML stream; other kinds are skipped. */
  public static List<AnalysisTemplate> readAll(String yaml, String source) {
    return fromDocuments(Yaml.readDocuments(yaml, source));
  }

  /** Every template in a YAML file. */
  public static List<AnalysisTemplate> readAll(Path file) {
    return fromDocuments(Yaml.readDocuments(file));
  }

  private static List<AnalysisTemplate> fromDocuments(List<YamlDocument> docs) {
    List<AnalysisTemplate> out = new ArrayList<>();
    for (YamlDocument doc : docs) {
      JsonNode content = doc.content();
      if (content != null
          && content.isObject()
          && KINDS.contains(content.path("kind").asString(""))) {
        out.add(fromTree(content, doc.origin().toString()));
      }
    }
    return out;
  }

  /** One template from a parsed document. */
  public static AnalysisTemplate fromTree(JsonNode doc, String source) {
    Node root = new Node(doc, "", source);
    root.allow("apiVersion", "kind", "metadata", "spec");
    String apiVersion = root.text("apiVersion", true);
    if (!apiVersion.startsWith("argoproj.io/")) {
      throw root.error("apiVersion", "must be argoproj.io/v1alpha1, but was '" + apiVersion + "'");
    }
    String kind = root.text("kind", true);
    if (!KINDS.contains(kind)) {
      throw root.error(
          "kind", "must be AnalysisTemplate or ClusterAnalysisTemplate, but was '" + kind + "'");
    }
    Node meta = root.object("metadata", true);
    meta.allow(
        "name",
        "namespace",
        "labels",
        "annotations",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "managedFields",
        "ownerReferences",
        "finalizers");
    AnalysisTemplate.Builder b =
        AnalysisTemplate.newBuilder(meta.text("name", true))
            .kind(
                kind.equals("AnalysisTemplate")
                    ? AnalysisTemplate.Kind.ANALYSIS_TEMPLATE
                    : AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE)
            .source(source);
    String ns = meta.text("namespace", false);
    if (!ns.isEmpty()) {
      b.namespace(ns);
    }
    Node spec = root.object("spec", true);
    spec.allow("args", "metrics", "dryRun", "measurementRetention");
    for (Node arg : spec.array("args")) {
      arg.allow("name", "value", "valueFrom");
      String name = arg.text("name", true);
      Argument a;
      if (arg.has("valueFrom")) {
        if (arg.has("value")) {
          throw arg.error("", "must not have both value and valueFrom");
        }
        Node from = arg.object("valueFrom", true);
        from.allow("secretKeyRef", "fieldRef");
        if (from.has("secretKeyRef")) {
          Node s = from.object("secretKeyRef", true);
          s.allow("name", "key");
          a =
              Argument.from(
                  name, new Argument.SecretKeyRef(s.text("name", true), s.text("key", true)));
        } else if (from.has("fieldRef")) {
          Node f = from.object("fieldRef", true);
          f.allow("fieldPath");
          a = Argument.from(name, new Argument.FieldRef(f.text("fieldPath", true)));
        } else {
          throw from.error("", "must have secretKeyRef or fieldRef");
        }
      } else if (arg.has("value")) {
        a = Argument.withValue(name, arg.text("value", true));
      } else {
        a = Argument.of(name);
      }
      guard(arg, "", () -> b.addArg(a));
    }
    List<Node> metrics = spec.array("metrics");
    if (metrics.isEmpty()) {
      throw spec.error("metrics", "must list at least one metric");
    }
    for (Node m : metrics) {
      Metric metric = metric(m);
      guard(m, "", () -> b.addMetric(metric));
    }
    for (Node d : spec.array("dryRun")) {
      d.allow("metricName");
      String name = d.text("metricName", true);
      guard(d, "metricName", () -> b.addDryRun(name));
    }
    for (Node r : spec.array("measurementRetention")) {
      r.allow("metricName", "limit");
      String name = r.text("metricName", true);
      int limit = r.integer("limit", true, 0);
      guard(
          r,
          "",
          () -> b.addMeasurementRetention(new AnalysisTemplate.MeasurementRetention(name, limit)));
    }
    return b.build();
  }

  private static Metric metric(Node m) {
    m.allow(
        "name",
        "interval",
        "initialDelay",
        "count",
        "successCondition",
        "failureCondition",
        "failureLimit",
        "inconclusiveLimit",
        "consecutiveErrorLimit",
        "consecutiveSuccessLimit",
        "successLimit",
        "provider");
    Metric.Builder b = Metric.newBuilder(m.text("name", true));
    // a field holding {{args.NAME}} is set when the template is resolved (Argo's int-or-string)
    for (String field : Metric.ARGUMENT_FIELDS) {
      JsonNode v = m.node.get(field);
      if (v != null && v.isString() && v.stringValue().contains("{{")) {
        String text = v.stringValue();
        guard(m, field, () -> b.unresolved(field, text));
      }
    }
    if (!b.isUnresolved("interval")) {
      guard(m, "interval", () -> b.interval(m.duration("interval")));
    }
    if (!b.isUnresolved("initialDelay")) {
      guard(m, "initialDelay", () -> b.initialDelay(m.duration("initialDelay")));
    }
    if (m.has("count") && !b.isUnresolved("count")) {
      int count = m.integer("count", true, 0);
      // Argo reads count 0 as no count (one measurement, or unbounded with an interval)
      guard(m, "count", () -> b.count(count == 0 ? null : count));
    }
    guard(m, "successCondition", () -> b.successCondition(m.text("successCondition", false)));
    guard(m, "failureCondition", () -> b.failureCondition(m.text("failureCondition", false)));
    if (!b.isUnresolved("failureLimit")) {
      int v = m.integer("failureLimit", false, Metric.DEFAULT_FAILURE_LIMIT);
      guard(m, "failureLimit", () -> b.failureLimit(v));
    }
    if (!b.isUnresolved("inconclusiveLimit")) {
      int v = m.integer("inconclusiveLimit", false, Metric.DEFAULT_INCONCLUSIVE_LIMIT);
      guard(m, "inconclusiveLimit", () -> b.inconclusiveLimit(v));
    }
    if (!b.isUnresolved("consecutiveErrorLimit")) {
      int v = m.integer("consecutiveErrorLimit", false, Metric.DEFAULT_CONSECUTIVE_ERROR_LIMIT);
      guard(m, "consecutiveErrorLimit", () -> b.consecutiveErrorLimit(v));
    }
    if (!b.isUnresolved("consecutiveSuccessLimit")) {
      int v = m.integer("consecutiveSuccessLimit", false, Metric.DEFAULT_CONSECUTIVE_SUCCESS_LIMIT);
      guard(m, "consecutiveSuccessLimit", () -> b.consecutiveSuccessLimit(v));
    }
    if (m.has("successLimit")) {
      int sl = m.integer("successLimit", true, 0);
      guard(m, "successLimit", () -> b.successLimit(sl));
    }
    Node provider = m.object("provider", true);
    List<String> types = new ArrayList<>(provider.node.propertyNames());
    if (types.size() != 1) {
      throw provider.error("", "must name exactly one provider type, but had " + types);
    }
    String type = types.get(0);
    if (type.equals("plugin")) {
      Node plugin = provider.object(type, true);
      throw plugin.error(
          "",
          "metric provider plugin "
              + new ArrayList<>(plugin.node.propertyNames())
              + " is not supported: Argo Rollouts plugins are Go binaries; implement the plugin's"
              + " metric as a Java MetricProvider registered through ServiceLoader under its own"
              + " provider type");
    }
    Node config = provider.object(type, true);
    Set<String> known = PROVIDER_FIELDS.get(type);
    if (known != null) {
      config.allow(known.toArray(String[]::new));
    }
    b.provider(new ProviderSpec(type, (ObjectNode) config.node));
    Metric[] built = new Metric[1];
    guard(m, "", () -> built[0] = b.build());
    return built[0];
  }

  private static void guard(Node at, String field, Runnable action) {
    try {
      action.run();
    } catch (ConditionSyntaxException e) {
      throw new TemplateException(at.source, at.child(field), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new TemplateException(at.source, at.child(field), e.getMessage());
    }
  }

  /** A node with its path, for strict reading. */
  private static final class Node {
    final JsonNode node;
    final String path;
    final String source;

    Node(JsonNode node, String path, String source) {
      this.node = node;
      this.path = path;
      this.source = source;
    }

    String child(String field) {
      if (field.isEmpty()) {
        return path;
      }
      return path.isEmpty() ? field : path + "." + field;
    }

    TemplateException error(String field, String problem) {
      return new TemplateException(source, child(field), problem);
    }

    void allow(String... fields) {
      Set<String> allowed = Set.of(fields);
      for (String name : node.propertyNames()) {
        if (!allowed.contains(name)) {
          throw error(name, "unknown field");
        }
      }
    }

    boolean has(String field) {
      JsonNode v = node.get(field);
      return v != null && !v.isNull();
    }

    String text(String field, boolean required) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return "";
      }
      if (!v.isValueNode()) {
        throw error(field, "must be a string, but was " + v.getNodeType());
      }
      return v.asString();
    }

    int integer(String field, boolean required, int fallback) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return fallback;
      }
      if (v.isIntegralNumber()) {
        return v.intValue();
      }
      if (v.isString()) {
        String s = v.stringValue().trim();
        try {
          return Integer.parseInt(s);
        } catch (NumberFormatException e) {
          throw error(field, "must be an integer, but was '" + s + "'");
        }
      }
      throw error(field, "must be an integer, but was " + v);
    }

    Duration duration(String field) {
      String s = text(field, false);
      if (s.isEmpty()) {
        return null;
      }
      try {
        return GoDuration.parse(s);
      } catch (IllegalArgumentException e) {
        throw error(field, "invalid duration '" + s + "': " + e.getMessage());
      }
    }

    Node object(String field, boolean required) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return new Node(
            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            child(field),
            source);
      }
      if (!v.isObject()) {
        throw error(field, "must be an object, but was " + v.getNodeType());
      }
      return new Node(v, child(field), source);
    }

    List<Node> array(String field) {
      JsonNode v = node.get(field);
      List<Node> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!v.isArray()) {
        throw error(field, "must be a list, but was " + v.getNodeType());
      }
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        String p = child(field) + "[" + i + "]";
        if (!e.isObject()) {
          throw new TemplateException(source, p, "must be an object, but was " + e.getNodeType());
        }
        out.add(new Node(e, p, source));
      }
      return out;
    }
  }
}
