package io.glidepath.appset.internal;

import io.glidepath.appset.ApplicationSet;
import io.glidepath.appset.ApplicationsSync;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationException;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and checks an ApplicationSet: every field honoured or refused, naming file and line. */
public final class AppSetReader {
  private AppSetReader() {}

  private static final Set<String> ROOT =
      Set.of("apiVersion", "kind", "metadata", "spec", "status");
  private static final Set<String> METADATA =
      Set.of(
          "name",
          "namespace",
          "labels",
          "annotations",
          "finalizers",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink",
          "ownerReferences");
  private static final Set<String> SPEC =
      Set.of(
          "generators",
          "template",
          "templatePatch",
          "goTemplate",
          "goTemplateOptions",
          "syncPolicy",
          "strategy",
          "preservedFields",
          "applyNestedSelectors",
          "ignoreApplicationDifferences");
  private static final Set<String> GENERATOR =
      Set.of(
          "list",
          "clusters",
          "git",
          "matrix",
          "merge",
          "selector",
          "scmProvider",
          "pullRequest",
          "plugin",
          "clusterDecisionResource");
  private static final Set<String> TEMPLATE = Set.of("metadata", "spec");
  private static final Set<String> TEMPLATE_META =
      Set.of("name", "namespace", "labels", "annotations", "finalizers");

  public static ApplicationSet read(JsonNode tree, Strict s) {
    if (tree == null || !tree.isObject()) {
      throw s.error("", "an ApplicationSet must be a YAML object");
    }
    s.only(tree, "", ROOT);
    String apiVersion = tree.path("apiVersion").asString("");
    String kind = tree.path("kind").asString("");
    if (!apiVersion.equals("argoproj.io/v1alpha1") || !kind.equals("ApplicationSet")) {
      throw s.error(
          "kind",
          "expected argoproj.io/v1alpha1 ApplicationSet, but was " + apiVersion + " " + kind);
    }
    JsonNode meta = tree.path("metadata");
    s.only(meta, "metadata", METADATA);
    String name = meta.path("name").asString("");
    if (name.isBlank()) {
      throw s.error("metadata.name", "is required");
    }
    s.stringMap(meta.path("labels"), "metadata.labels");
    s.stringMap(meta.path("annotations"), "metadata.annotations");
    JsonNode spec = tree.path("spec");
    if (!spec.isObject()) {
      throw s.error("spec", "is required");
    }
    s.only(spec, "spec", SPEC);
    boolean go = spec.path("goTemplate").asBoolean(false);
    s.bool(spec.path("goTemplate"), "spec.goTemplate");
    s.strings(spec.path("goTemplateOptions"), "spec.goTemplateOptions");
    for (int i = 0; i < spec.path("goTemplateOptions").size(); i++) {
      String o = spec.path("goTemplateOptions").get(i).asString("");
      if (!o.matches("missingkey=(default|invalid|zero|error)")) {
        throw s.error(
            "spec.goTemplateOptions[" + i + "]",
            "unknown option "
                + o
                + " (Go's text/template knows missingkey=default|invalid|zero|error)");
      }
    }
    if (spec.has("ignoreApplicationDifferences")) {
      throw s.error(
          "spec.ignoreApplicationDifferences",
          "is not supported by Glidepath yet: generated Applications are kept exactly equal to"
              + " the template (use preservedFields for annotations and labels)");
    }
    s.bool(spec.path("applyNestedSelectors"), "spec.applyNestedSelectors");
    s.string(spec.path("templatePatch"), "spec.templatePatch");
    syncPolicy(spec.path("syncPolicy"), s);
    strategy(spec.path("strategy"), s);
    JsonNode preserved = spec.path("preservedFields");
    s.only(preserved, "spec.preservedFields", Set.of("annotations", "labels"));
    s.strings(preserved.path("annotations"), "spec.preservedFields.annotations");
    s.strings(preserved.path("labels"), "spec.preservedFields.labels");
    JsonNode generators = spec.path("generators");
    if (!generators.isArray() || generators.isEmpty()) {
      throw s.error("spec.generators", "at least one generator is required");
    }
    for (int i = 0; i < generators.size(); i++) {
      generator(generators.get(i), "spec.generators[" + i + "]", s, 0);
    }
    JsonNode template = spec.path("template");
    if (!template.isObject()) {
      throw s.error("spec.template", "is required");
    }
    template(template, "spec.template", s, false);
    return new ApplicationSet(
        name,
        meta.path("namespace").asString(""),
        meta.path("uid").asString(""),
        stringMap(meta.path("labels")),
        stringMap(meta.path("annotations")),
        spec,
        s.origin());
  }

  private static void syncPolicy(JsonNode p, Strict s) {
    s.only(p, "spec.syncPolicy", Set.of("applicationsSync", "preserveResourcesOnDeletion"));
    s.bool(p.path("preserveResourcesOnDeletion"), "spec.syncPolicy.preserveResourcesOnDeletion");
    if (p.has("applicationsSync")
        && ApplicationsSync.of(p.path("applicationsSync").asString("")).isEmpty()) {
      throw s.error(
          "spec.syncPolicy.applicationsSync",
          "must be one of create-only, create-update, create-delete, sync, but was "
              + p.path("applicationsSync").asString(""));
    }
  }

  private static void strategy(JsonNode st, Strict s) {
    s.only(st, "spec.strategy", Set.of("type", "rollingSync", "deletionOrder"));
    String type = st.path("type").asString("AllAtOnce");
    if (!type.equals("AllAtOnce") && !type.equals("RollingSync")) {
      throw s.error("spec.strategy.type", "must be AllAtOnce or RollingSync, but was " + type);
    }
    String order = st.path("deletionOrder").asString("AllAtOnce");
    if (!order.equalsIgnoreCase("AllAtOnce")) {
      throw s.error(
          "spec.strategy.deletionOrder",
          order + " is not supported by Glidepath: Applications are deleted all at once");
    }
    JsonNode rs = st.path("rollingSync");
    s.only(rs, "spec.strategy.rollingSync", Set.of("steps"));
    s.list(rs.path("steps"), "spec.strategy.rollingSync.steps");
    for (int i = 0; i < rs.path("steps").size(); i++) {
      String path = "spec.strategy.rollingSync.steps[" + i + "]";
      JsonNode step = rs.path("steps").get(i);
      s.only(step, path, Set.of("matchExpressions", "maxUpdate", "analysis"));
      s.list(step.path("matchExpressions"), path + ".matchExpressions");
      for (int j = 0; j < step.path("matchExpressions").size(); j++) {
        JsonNode e = step.path("matchExpressions").get(j);
        String ep = path + ".matchExpressions[" + j + "]";
        s.only(e, ep, Set.of("key", "operator", "values"));
        String op = e.path("operator").asString("");
        if (!op.equals("In") && !op.equals("NotIn")) {
          throw s.error(
              ep + ".operator", "must be In or NotIn (as Argo CD's RollingSync), but was " + op);
        }
        s.strings(e.path("values"), ep + ".values");
      }
      JsonNode mu = step.path("maxUpdate");
      if (!mu.isMissingNode()
          && !(mu.isIntegralNumber() && mu.asLong() >= 0)
          && !(mu.isString() && mu.asString().matches("\\d+%"))) {
        throw s.error(path + ".maxUpdate", "must be a number or a percentage, but was " + mu);
      }
      if (step.has("analysis")) {
        analysis(step.path("analysis"), path + ".analysis", s);
      }
    }
  }

  /**
   * Glidepath's analysis gate of a RollingSync step: {@code templates} (at least one, each {@code
   * templateName} and optional {@code clusterScope}) and {@code args} with literal values, the
   * shape of an Argo Rollouts canary step's {@code analysis}.
   */
  private static void analysis(JsonNode a, String path, Strict s) {
    if (!a.isObject()) {
      throw s.error(path, "must be an object with templates and args");
    }
    for (String f : List.of("dryRun", "measurementRetention", "analysisRunMetadata")) {
      if (a.has(f)) {
        throw s.error(
            path + "." + f,
            "is not supported in a RollingSync step's analysis (Glidepath runs the templates"
                + " with their own rules)");
      }
    }
    s.only(a, path, Set.of("templates", "args"));
    s.list(a.path("templates"), path + ".templates");
    if (a.path("templates").isEmpty()) {
      throw s.error(path + ".templates", "must name at least one template");
    }
    for (int i = 0; i < a.path("templates").size(); i++) {
      JsonNode t = a.path("templates").get(i);
      String tp = path + ".templates[" + i + "]";
      s.only(t, tp, Set.of("templateName", "clusterScope"));
      s.string(t.path("templateName"), tp + ".templateName");
      if (t.path("templateName").asString("").isEmpty()) {
        throw s.error(tp + ".templateName", "must name an AnalysisTemplate");
      }
      s.bool(t.path("clusterScope"), tp + ".clusterScope");
    }
    s.list(a.path("args"), path + ".args");
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < a.path("args").size(); i++) {
      JsonNode arg = a.path("args").get(i);
      String ap = path + ".args[" + i + "]";
      if (arg.has("valueFrom")) {
        throw s.error(
            ap + ".valueFrom",
            "is not supported in a RollingSync step's analysis: an ApplicationSet has no pod"
                + " template or Rollout fields to read; give a value");
      }
      s.only(arg, ap, Set.of("name", "value"));
      s.string(arg.path("name"), ap + ".name");
      s.string(arg.path("value"), ap + ".value");
      String n = arg.path("name").asString("");
      if (n.isEmpty()) {
        throw s.error(ap + ".name", "must name an argument");
      }
      if (!arg.has("value")) {
        throw s.error(ap + ".value", "is required");
      }
      if (!names.add(n)) {
        throw s.error(ap + ".name", "argument " + n + " is given twice");
      }
    }
  }

  /** Checks a generator (at {@code depth} 0 top level, 1 inside a matrix/merge, 2 nested twice). */
  static void generator(JsonNode g, String path, Strict s, int depth) {
    s.only(g, path, GENERATOR);
    List<String> kinds = new ArrayList<>();
    for (String k :
        List.of(
            "list",
            "clusters",
            "git",
            "matrix",
            "merge",
            "scmProvider",
            "pullRequest",
            "plugin",
            "clusterDecisionResource")) {
      if (g.has(k)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      throw s.error(
          path,
          kinds.isEmpty()
              ? "names no generator (list, clusters, git, matrix or merge)"
              : "names " + kinds.size() + " generators " + kinds + ": one per entry");
    }
    String kind = kinds.get(0);
    String p = path + "." + kind;
    JsonNode n = g.get(kind);
    switch (kind) {
      case "scmProvider", "pullRequest", "plugin", "clusterDecisionResource" ->
          throw s.error(
              p,
              "the "
                  + kind
                  + " generator is not supported by Glidepath: it asks an outside service"
                  + " (an SCM host, a plugin, a decision resource); use list, clusters, git,"
                  + " matrix or merge");
      case "list" -> {
        s.only(n, p, Set.of("elements", "elementsYaml", "template"));
        s.list(n.path("elements"), p + ".elements");
        s.string(n.path("elementsYaml"), p + ".elementsYaml");
      }
      case "clusters" -> {
        s.only(n, p, Set.of("selector", "values", "template"));
        selector(n.path("selector"), p + ".selector", s);
        s.stringMap(n.path("values"), p + ".values");
      }
      case "git" -> {
        s.only(
            n,
            p,
            Set.of(
                "repoURL",
                "revision",
                "directories",
                "files",
                "pathParamPrefix",
                "values",
                "template",
                "requeueAfterSeconds"));
        if (n.path("repoURL").asString("").isBlank()) {
          throw s.error(p + ".repoURL", "is required");
        }
        s.string(n.path("revision"), p + ".revision");
        s.string(n.path("pathParamPrefix"), p + ".pathParamPrefix");
        s.stringMap(n.path("values"), p + ".values");
        for (String list : List.of("directories", "files")) {
          s.list(n.path(list), p + "." + list);
          for (int i = 0; i < n.path(list).size(); i++) {
            String ip = p + "." + list + "[" + i + "]";
            s.only(n.path(list).get(i), ip, Set.of("path", "exclude"));
            s.string(n.path(list).get(i).path("path"), ip + ".path");
            s.bool(n.path(list).get(i).path("exclude"), ip + ".exclude");
          }
        }
        if (n.path("directories").isEmpty() == n.path("files").isEmpty()) {
          throw s.error(p, "needs directories or files (one of them)");
        }
        JsonNode r = n.path("requeueAfterSeconds");
        if (!r.isMissingNode() && !(r.isIntegralNumber() && r.asLong() >= 0)) {
          throw s.error(p + ".requeueAfterSeconds", "must be a number of seconds");
        }
      }
      case "matrix", "merge" -> {
        s.only(
            n,
            p,
            kind.equals("matrix")
                ? Set.of("generators", "template")
                : Set.of("generators", "mergeKeys", "template"));
        if (depth >= 2) {
          throw s.error(
              p, "a " + kind + " nests too deep: Argo CD allows two levels of matrix/merge");
        }
        JsonNode children = n.path("generators");
        if (kind.equals("matrix") && children.size() != 2) {
          throw s.error(
              p + ".generators",
              children.size() < 2
                  ? "found less than two generators, Matrix support only two"
                  : "found more than two generators, Matrix support only two");
        }
        if (kind.equals("merge")) {
          if (children.size() < 2) {
            throw s.error(
                p + ".generators", "found less than two generators, Merge requires two or more");
          }
          s.strings(n.path("mergeKeys"), p + ".mergeKeys");
          if (n.path("mergeKeys").isEmpty()) {
            throw s.error(
                p + ".mergeKeys", "no merge keys were specified, Merge requires at least one");
          }
        }
        for (int i = 0; i < children.size(); i++) {
          String cp = p + ".generators[" + i + "]";
          JsonNode child = children.get(i);
          for (String k : List.of("list", "clusters", "git", "matrix", "merge")) {
            if (child.path(k).has("template")) {
              throw s.error(
                  cp + "." + k + ".template",
                  "Argo CD ignores the template of a generator inside a "
                      + kind
                      + ": set it on the "
                      + kind
                      + " or the ApplicationSet");
            }
          }
          generator(child, cp, s, depth + 1);
        }
      }
      default -> throw new IllegalStateException(kind);
    }
    if (n.has("template")) {
      template(n.path("template"), p + ".template", s, true);
    }
    selector(g.path("selector"), path + ".selector", s);
  }

  static void selector(JsonNode sel, String path, Strict s) {
    s.only(sel, path, Set.of("matchLabels", "matchExpressions"));
    s.stringMap(sel.path("matchLabels"), path + ".matchLabels");
    for (int i = 0; i < sel.path("matchExpressions").size(); i++) {
      String ep = path + ".matchExpressions[" + i + "]";
      JsonNode e = sel.path("matchExpressions").get(i);
      s.only(e, ep, Set.of("key", "operator", "values"));
      String op = e.path("operator").asString("");
      if (!Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
        throw s.error(ep + ".operator", "must be In, NotIn, Exists or DoesNotExist, but was " + op);
      }
      s.strings(e.path("values"), ep + ".values");
    }
  }

  /**
   * Checks a template's fields: metadata's, and the spec as an Application spec (unknown fields,
   * types); a generator's template may leave out what the ApplicationSet's supplies.
   */
  static void template(JsonNode t, String path, Strict s, boolean partial) {
    s.only(t, path, TEMPLATE);
    s.only(t.path("metadata"), path + ".metadata", TEMPLATE_META);
    s.stringMap(t.path("metadata").path("labels"), path + ".metadata.labels");
    s.stringMap(t.path("metadata").path("annotations"), path + ".metadata.annotations");
    s.strings(t.path("metadata").path("finalizers"), path + ".metadata.finalizers");
    ObjectNode app = Yaml.mapper().createObjectNode();
    app.put("apiVersion", "argoproj.io/v1alpha1");
    app.put("kind", "Application");
    ObjectNode meta = app.putObject("metadata");
    meta.put("name", "template");
    ObjectNode spec =
        t.path("spec").isObject()
            ? (ObjectNode) t.path("spec").deepCopy()
            : Yaml.mapper().createObjectNode();
    if (!spec.has("source") && !spec.has("sources")) {
      spec.putObject("source").put("repoURL", "x").put("path", ".");
    }
    if (!spec.has("destination")) {
      spec.putObject("destination").put("server", "https://x");
    }
    app.set("spec", spec);
    try {
      Application.parse(Yaml.toJson(app), "template");
    } catch (ApplicationException e) {
      String field = e.path();
      String full = path + "." + field;
      String problem = e.getMessage();
      int at = problem.indexOf(field + ": ");
      throw s.error(full, at >= 0 ? problem.substring(at + field.length() + 2) : problem);
    }
  }

  public static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (JsonNode x : n) {
      out.add(x.asString(""));
    }
    return out;
  }

  static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      out.put(e.getKey(), e.getValue().asString(""));
    }
    return out;
  }
}
