package io.glidepath.rollout.internal.load;

import io.glidepath.analysis.AnalysisTemplate.MeasurementRetention;
import io.glidepath.core.Origin;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.AntiAffinity;
import io.glidepath.rollout.ArgumentSource;
import io.glidepath.rollout.BackgroundAnalysis;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.PingPong;
import io.glidepath.rollout.PodMetadata;
import io.glidepath.rollout.RolloutOptions;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.WorkloadRef;
import io.glidepath.rollout.experiment.ExperimentAnalysis;
import io.glidepath.rollout.experiment.ExperimentTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an Argo Rollouts {@code Rollout} document field by field into a plan builder: every field
 * of the v1alpha1 specification is either mapped to the plan or refused with its path; unknown
 * fields are refused too. Template references are resolved later, by {@link Batch}.
 */
final class RolloutDocumentReader {
  /** What a Rollout document reads into, before its templates are supplied. */
  record Draft(
      String name,
      String namespace,
      Object builder,
      String strategyPath,
      Optional<WorkloadRef> workloadRef,
      boolean hasTemplate,
      RolloutOptions options,
      Refusals refusals) {}

  private static final int MAX_INT = Integer.MAX_VALUE;

  private RolloutDocumentReader() {}

  static Draft read(JsonNode doc, Refusals refusals) {
    Fields root = Fields.of(doc, "", refusals);
    Metadata meta = Metadata.read(root, refusals, "argoproj.io/v1alpha1", "Rollout");
    root.ignore("status");
    Fields spec = root.object("spec").orElseGet(() -> Fields.of(emptyObject(), "spec", refusals));
    if (!root.has("spec")) {
      refusals.add("spec", "is required");
    }
    root.done();

    RolloutOptions.Builder options = RolloutOptions.newBuilder();
    ObjectNode object = doc.isObject() ? ((ObjectNode) doc).deepCopy() : emptyObject();
    object.remove("status");
    options.rolloutObject(object);
    int replicas = spec.integer("replicas", 0, MAX_INT).orElse(1);
    Map<String, String> selector = new LinkedHashMap<>();
    spec.ifObject(
        "selector",
        s -> {
          selector.putAll(s.stringMap("matchLabels"));
          s.refuse(
              "matchExpressions",
              "selectors with matchExpressions are not supported; use matchLabels");
          s.done();
        });
    options.selector(selector);
    Optional<JsonNode> template = spec.raw("template");
    template.ifPresent(t -> PodTemplates.check(t, "spec.template", refusals));
    Optional<WorkloadRef> workloadRef =
        spec.object("workloadRef").map(RolloutDocumentReader::workloadRef);
    if (workloadRef.isPresent() && template.isPresent()) {
      refusals.add(
          "spec.template",
          "must not be set together with workloadRef (the workload gives the pod template)");
    }
    if (workloadRef.isEmpty() && template.isEmpty()) {
      refusals.add("spec.template", "is required (or workloadRef)");
    }
    if (template.isPresent() && !selector.isEmpty()) {
      JsonNode labels = template.get().path("metadata").path("labels");
      selector.forEach(
          (k, v) -> {
            if (!v.equals(labels.path(k).asString(null))) {
              refusals.add(
                  "spec.selector.matchLabels." + k,
                  "does not match the pod template's labels ("
                      + k
                      + "="
                      + labels.path(k).asString("<unset>")
                      + ")");
            }
          });
    }
    workloadRef.ifPresent(options::workloadRef);
    spec.integer("minReadySeconds", 0, MAX_INT).ifPresent(options::minReadySeconds);
    spec.integer("revisionHistoryLimit", 0, MAX_INT).ifPresent(options::revisionHistoryLimit);
    spec.bool("paused").ifPresent(options::paused);
    spec.integer("progressDeadlineSeconds", 1, MAX_INT).ifPresent(options::progressDeadlineSeconds);
    spec.bool("progressDeadlineAbort").ifPresent(options::progressDeadlineAbort);
    spec.string("restartAt")
        .ifPresent(
            at -> {
              try {
                options.restartAt(java.time.OffsetDateTime.parse(at).toInstant());
              } catch (java.time.format.DateTimeParseException e) {
                spec.refuseAt(
                    "restartAt",
                    "must be an RFC 3339 time such as 2020-03-30T21:19:35Z, but was '" + at + "'");
              }
            });
    spec.ifObject(
        "rollbackWindow",
        w -> {
          w.integer("revisions", 0, MAX_INT).ifPresent(options::rollbackWindowRevisions);
          w.done();
        });
    spec.ifObject(
        "analysis",
        a -> {
          a.integer("successfulRunHistoryLimit", 0, MAX_INT)
              .ifPresent(options::successfulRunHistoryLimit);
          a.integer("unsuccessfulRunHistoryLimit", 0, MAX_INT)
              .ifPresent(options::unsuccessfulRunHistoryLimit);
          a.done();
        });
    Fields strategy =
        spec.object("strategy")
            .orElseGet(() -> Fields.of(emptyObject(), "spec.strategy", refusals));
    spec.done();
    boolean canary = strategy.has("canary");
    boolean blueGreen = strategy.has("blueGreen");
    RolloutOptions built = options.build();
    Object builder;
    String strategyPath;
    ObjectNode podTemplate =
        template
            .filter(JsonNode::isObject)
            .map(t -> ((ObjectNode) t).deepCopy())
            .orElse(emptyObject());
    if (canary == blueGreen) {
      refusals.add(
          "spec.strategy",
          canary
              ? "must set exactly one of canary and blueGreen, but sets both"
              : "must set canary or blueGreen");
      builder = null;
      strategyPath = "spec.strategy";
    } else if (canary) {
      strategyPath = "spec.strategy.canary";
      Fields c =
          strategy
              .object("canary")
              .orElseGet(() -> Fields.of(emptyObject(), strategyPath, refusals));
      CanaryPlan.Builder b = CanaryPlan.builder(meta.name().isBlank() ? "unnamed" : meta.name());
      b.namespace(meta.namespace()).replicas(replicas).podTemplate(podTemplate);
      b.options(built);
      canary(c, b, meta.name(), meta.namespace(), refusals);
      builder = b;
    } else {
      strategyPath = "spec.strategy.blueGreen";
      Fields g =
          strategy
              .object("blueGreen")
              .orElseGet(() -> Fields.of(emptyObject(), strategyPath, refusals));
      BlueGreenPlan.Builder b =
          BlueGreenPlan.builder(meta.name().isBlank() ? "unnamed" : meta.name());
      b.namespace(meta.namespace()).replicas(replicas).podTemplate(podTemplate);
      b.options(built);
      blueGreen(g, b, refusals);
      builder = b;
    }
    strategy.done();
    return new Draft(
        meta.name(),
        meta.namespace(),
        builder,
        strategyPath,
        workloadRef,
        template.isPresent(),
        built,
        refusals);
  }

  private static WorkloadRef workloadRef(Fields w) {
    String apiVersion = w.string("apiVersion").orElse("apps/v1");
    String kind = w.requiredString("kind");
    String name = w.requiredString("name");
    WorkloadRef.ScaleDown scaleDown = WorkloadRef.ScaleDown.NEVER;
    Optional<String> sd = w.string("scaleDown");
    if (sd.isPresent()) {
      Optional<WorkloadRef.ScaleDown> match =
          java.util.Arrays.stream(WorkloadRef.ScaleDown.values())
              .filter(v -> v.argoName().equals(sd.get()))
              .findFirst();
      if (match.isEmpty()) {
        w.refuseAt(
            "scaleDown", "must be never, onsuccess or progressively, but was '" + sd.get() + "'");
      } else {
        scaleDown = match.get();
      }
    }
    if (!kind.isEmpty() && !kind.equals("Deployment")) {
      w.refuseAt(
          "kind",
          "must be Deployment (the only workload Glidepath reads a template from), but was '"
              + kind
              + "'");
    }
    if (!apiVersion.equals("apps/v1")) {
      w.refuseAt("apiVersion", "must be apps/v1, but was '" + apiVersion + "'");
    }
    w.done();
    return new WorkloadRef(apiVersion, kind.isEmpty() ? "Deployment" : kind, name, scaleDown);
  }

  // ------------------------------------------------------------------ canary

  private static void canary(
      Fields c, CanaryPlan.Builder b, String name, String namespace, Refusals refusals) {
    c.string("canaryService").filter(s -> !s.isBlank()).ifPresent(b::canaryService);
    c.string("stableService").filter(s -> !s.isBlank()).ifPresent(b::stableService);
    c.object("canaryMetadata").map(RolloutDocumentReader::podMetadata).ifPresent(b::canaryMetadata);
    c.object("stableMetadata").map(RolloutDocumentReader::podMetadata).ifPresent(b::stableMetadata);
    List<Fields.Item> steps = c.list("steps");
    for (Fields.Item item : steps) {
      CanaryStep step = step(item, refusals);
      // an unreadable step keeps its place so that step indexes stay right; the plan is refused
      b.step(step != null ? step : CanaryStep.Pause.of(Duration.ZERO));
    }
    Set<String> managed = new LinkedHashSet<>();
    c.object("trafficRouting")
        .ifPresent(
            t -> {
              t.integer("maxTrafficWeight", 1, MAX_INT).ifPresent(b::maxTrafficWeight);
              TrafficRouting routing = trafficRouting(t, managed, name, namespace);
              if (routing != null) {
                b.trafficRouting(routing);
              }
            });
    managed.forEach(b::managedRoute);
    for (int i = 0; i < steps.size(); i++) {
      JsonNode s = steps.get(i).node();
      for (String kind : new String[] {"setHeaderRoute", "setMirrorRoute"}) {
        String route = s.path(kind).path("name").asString("");
        if (s.has(kind) && !route.isEmpty() && !managed.contains(route)) {
          refusals.add(
              steps.get(i).path() + "." + kind + ".name",
              "names route '"
                  + route
                  + "', which trafficRouting.managedRoutes does not list (listed: "
                  + managed
                  + ")");
        }
      }
    }
    c.intOrString("maxSurge").ifPresent(b::maxSurge);
    c.intOrString("maxUnavailable").ifPresent(b::maxUnavailable);
    c.object("analysis")
        .ifPresent(
            a -> {
              AnalysisRef ref = analysisRef(a, true);
              int starting = a.integer("startingStep", 0, MAX_INT).orElse(0);
              a.done();
              b.backgroundAnalysis(new BackgroundAnalysis(ref, starting));
            });
    c.object("antiAffinity")
        .map(RolloutDocumentReader::antiAffinity)
        .flatMap(x -> x)
        .ifPresent(b::antiAffinity);
    c.integer("scaleDownDelaySeconds", 0, MAX_INT).ifPresent(b::scaleDownDelaySeconds);
    revisionLimit(c).ifPresent(b::scaleDownDelayRevisionLimit);
    c.integer("abortScaleDownDelaySeconds", 0, MAX_INT).ifPresent(b::abortScaleDownDelaySeconds);
    c.bool("dynamicStableScale").ifPresent(b::dynamicStableScale);
    c.object("pingPong")
        .ifPresent(
            p -> {
              String ping = p.requiredString("pingService");
              String pong = p.requiredString("pongService");
              p.done();
              if (!ping.isEmpty() && !pong.isEmpty()) {
                if (ping.equals(pong)) {
                  p.refuseAt(
                      "pongService", "must differ from pingService, but both are '" + ping + "'");
                } else {
                  b.pingPong(new PingPong(ping, pong));
                }
              }
            });
    c.integer("minPodsPerReplicaSet", 1, MAX_INT).ifPresent(b::minPodsPerReplicaSet);
    if (c.has("minPodsPerReplicaSet") && !c.has("trafficRouting")) {
      refusals.add(
          c.path("minPodsPerReplicaSet"),
          "applies only with trafficRouting (a canary without it is sized by its weight)");
    }
    c.done();
  }

  private static CanaryStep step(Fields.Item item, Refusals refusals) {
    String path = item.path();
    if (!item.node().isObject()) {
      refusals.add(path, "must be a mapping, but was " + Fields.type(item.node()));
      return null;
    }
    Fields s = Fields.of(item.node(), path, refusals);
    List<String> kinds = s.names();
    if (kinds.size() != 1) {
      refusals.add(
          path,
          "must have exactly one of setWeight, pause, analysis, experiment, setCanaryScale,"
              + " setHeaderRoute, setMirrorRoute, but had "
              + kinds);
      s.names().forEach(s::ignore);
      return null;
    }
    String kind = kinds.get(0);
    CanaryStep step = null;
    switch (kind) {
      case "setWeight" -> {
        OptionalInt w = s.integer("setWeight", 0, MAX_INT); // <= maxTrafficWeight: the plan checks
        step = w.isPresent() ? new CanaryStep.SetWeight(w.getAsInt()) : null;
      }
      case "pause" -> {
        Optional<JsonNode> raw = s.raw("pause");
        if (raw.isEmpty()) {
          step = CanaryStep.Pause.indefinite();
        } else {
          Fields p = Fields.of(raw.get(), s.path("pause"), refusals);
          Optional<Duration> d = p.duration("duration");
          p.done();
          step =
              p.has("duration")
                  ? d.map(CanaryStep.Pause::of).orElse(null)
                  : CanaryStep.Pause.indefinite();
        }
      }
      case "analysis" ->
          step =
              s.object("analysis")
                  .map(
                      a -> {
                        AnalysisRef ref = analysisRef(a, false);
                        a.done();
                        return new CanaryStep.Analysis(ref);
                      })
                  .orElse(null);
      case "experiment" ->
          step = s.object("experiment").map(RolloutDocumentReader::experiment).orElse(null);
      case "setCanaryScale" ->
          step =
              s.object("setCanaryScale")
                  .map(
                      c -> {
                        OptionalInt replicas = c.integer("replicas", 0, MAX_INT);
                        OptionalInt weight = c.integer("weight", 0, MAX_INT);
                        boolean match = c.bool("matchTrafficWeight").orElse(false);
                        c.done();
                        return new CanaryStep.SetCanaryScale(replicas, weight, match);
                      })
                  .orElse(null);
      case "setHeaderRoute" ->
          step =
              s.object("setHeaderRoute")
                  .map(
                      h -> {
                        String name = h.requiredString("name");
                        List<CanaryStep.HeaderMatch> matches = new ArrayList<>();
                        for (Fields m : h.objects("match")) {
                          String header = m.requiredString("headerName");
                          Optional<Fields> value = m.object("headerValue");
                          if (value.isEmpty()) {
                            m.refuseAt("headerValue", "is required");
                          }
                          value.ifPresent(
                              v -> {
                                List<String> types = v.names();
                                if (types.size() != 1
                                    || !List.of("exact", "prefix", "regex")
                                        .contains(types.get(0))) {
                                  v.refuseAt(
                                      "",
                                      "must have exactly one of exact, prefix and regex, but had "
                                          + types);
                                  types.forEach(v::ignore);
                                } else {
                                  String type = types.get(0);
                                  v.string(type)
                                      .ifPresent(
                                          text ->
                                              matches.add(
                                                  new CanaryStep.HeaderMatch(header, type, text)));
                                }
                                v.done();
                              });
                          m.done();
                        }
                        h.done();
                        return new CanaryStep.SetHeaderRoute(name, matches);
                      })
                  .orElse(null);
      case "setMirrorRoute" ->
          step =
              s.object("setMirrorRoute")
                  .map(
                      m -> {
                        String name = m.requiredString("name");
                        int percentage = m.integer("percentage", 0, 100).orElse(100);
                        List<Map<String, Object>> matches = new ArrayList<>();
                        for (Fields match : m.objects("match")) {
                          Map<String, Object> out = new LinkedHashMap<>();
                          for (String field : new String[] {"method", "path"}) {
                            match.object(field).ifPresent(sm -> out.put(field, stringMatch(sm)));
                          }
                          match
                              .object("headers")
                              .ifPresent(
                                  h -> {
                                    Map<String, Object> headers = new LinkedHashMap<>();
                                    for (String header : h.names()) {
                                      h.object(header)
                                          .ifPresent(sm -> headers.put(header, stringMatch(sm)));
                                    }
                                    h.done();
                                    out.put("headers", headers);
                                  });
                          match.done();
                          matches.add(out);
                        }
                        m.done();
                        return new CanaryStep.SetMirrorRoute(name, percentage, matches);
                      })
                  .orElse(null);
      case "plugin" -> {
        s.refuse(
            "plugin",
            "step plugins are not supported by Glidepath (it runs no Argo Rollouts plugins)");
      }
      default -> {
        s.ignore(kind);
        refusals.add(s.path(kind), "is not a step of Argo Rollouts v1alpha1");
      }
    }
    s.done();
    return step;
  }

  private static Map<String, String> stringMatch(Fields sm) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> types = sm.names();
    if (types.size() != 1 || !List.of("exact", "prefix", "regex").contains(types.get(0))) {
      sm.refuseAt("", "must have exactly one of exact, prefix and regex, but had " + types);
      types.forEach(sm::ignore);
    } else {
      sm.string(types.get(0)).ifPresent(v -> out.put(types.get(0), v));
    }
    sm.done();
    return out;
  }

  private static CanaryStep.Experiment experiment(Fields e) {
    Optional<Duration> duration = e.duration("duration");
    List<ExperimentTemplate> templates = new ArrayList<>();
    for (Fields t : e.objects("templates")) {
      String name = t.requiredString("name");
      Optional<ExperimentTemplate.SpecRef> ref = Optional.empty();
      Optional<String> specRef = t.string("specRef");
      if (specRef.isEmpty()) {
        t.refuseAt("specRef", "is required (canary or stable)");
      } else if (specRef.get().equals("canary")) {
        ref = Optional.of(ExperimentTemplate.SpecRef.CANARY);
      } else if (specRef.get().equals("stable")) {
        ref = Optional.of(ExperimentTemplate.SpecRef.STABLE);
      } else {
        t.refuseAt("specRef", "must be canary or stable, but was '" + specRef.get() + "'");
      }
      int replicas = t.integer("replicas", 0, MAX_INT).orElse(1);
      PodMetadata metadata =
          t.object("metadata").map(RolloutDocumentReader::podMetadata).orElse(PodMetadata.NONE);
      Map<String, String> selector = new LinkedHashMap<>();
      t.ifObject(
          "selector",
          s -> {
            selector.putAll(s.stringMap("matchLabels"));
            s.refuse(
                "matchExpressions",
                "selectors with matchExpressions are not supported; use matchLabels");
            s.done();
          });
      OptionalInt weight = t.integer("weight", 0, MAX_INT);
      Optional<ExperimentTemplate.ServiceRef> service =
          t.object("service")
              .map(
                  svc -> {
                    Optional<String> svcName = svc.string("name").filter(x -> !x.isBlank());
                    svc.refuse("ports", ExperimentReader.SERVICE_PORTS_REFUSED);
                    svc.done();
                    return new ExperimentTemplate.ServiceRef(svcName);
                  });
      t.done();
      if (!name.isEmpty() && ref.isPresent()) {
        templates.add(
            new ExperimentTemplate(
                name, ref, Optional.empty(), replicas, 0, selector, metadata, weight, service));
      }
    }
    if (!e.has("templates")) {
      e.refuseAt("templates", "is required");
    }
    List<ExperimentAnalysis> analyses = experimentAnalyses(e);
    e.done();
    return new CanaryStep.Experiment(duration, templates, analyses);
  }

  static List<ExperimentAnalysis> experimentAnalyses(Fields e) {
    List<ExperimentAnalysis> analyses = new ArrayList<>();
    for (Fields a : e.objects("analyses")) {
      String name = a.requiredString("name");
      String templateName = a.requiredString("templateName");
      boolean clusterScope = a.bool("clusterScope").orElse(false);
      Map<String, String> args = new LinkedHashMap<>();
      Map<String, ArgumentSource> from = new LinkedHashMap<>();
      args(a, args, from);
      boolean required = a.bool("requiredForCompletion").orElse(false);
      a.ifObject("analysisRunMetadata", RolloutDocumentReader::analysisRunMetadata);
      a.done();
      if (!name.isEmpty() && !templateName.isEmpty()) {
        analyses.add(
            new ExperimentAnalysis(name, templateName, clusterScope, args, from, required));
      }
    }
    e.ifObject("analysisRunMetadata", RolloutDocumentReader::analysisRunMetadata);
    return analyses;
  }

  /** Labels and annotations of AnalysisRun objects: Glidepath creates none, so none to label. */
  static void analysisRunMetadata(Fields m) {
    m.stringMap("labels");
    m.stringMap("annotations");
    m.done();
  }

  static PodMetadata podMetadata(Fields m) {
    PodMetadata out = new PodMetadata(m.stringMap("labels"), m.stringMap("annotations"));
    m.done();
    return out;
  }

  private static Optional<AntiAffinity> antiAffinity(Fields a) {
    boolean required = a.has("requiredDuringSchedulingIgnoredDuringExecution");
    boolean preferred = a.has("preferredDuringSchedulingIgnoredDuringExecution");
    Optional<AntiAffinity> out = Optional.empty();
    if (required == preferred) {
      a.refuseAt(
          "",
          "must set exactly one of requiredDuringSchedulingIgnoredDuringExecution and"
              + " preferredDuringSchedulingIgnoredDuringExecution");
      a.ignore("requiredDuringSchedulingIgnoredDuringExecution");
      a.ignore("preferredDuringSchedulingIgnoredDuringExecution");
    } else if (required) {
      a.object("requiredDuringSchedulingIgnoredDuringExecution").ifPresent(Fields::done);
      out = Optional.of(AntiAffinity.required());
    } else {
      Optional<Fields> p = a.object("preferredDuringSchedulingIgnoredDuringExecution");
      if (p.isPresent()) {
        OptionalInt weight = p.get().integer("weight", 1, 100);
        if (!p.get().has("weight")) {
          p.get().refuseAt("weight", "is required (1..100)");
        }
        p.get().done();
        if (weight.isPresent()) {
          out = Optional.of(AntiAffinity.preferred(weight.getAsInt()));
        }
      }
    }
    a.done();
    return out;
  }

  // ------------------------------------------------------------------ analysis references

  /** A RolloutAnalysis (templates, args, dryRun, measurementRetention, analysisRunMetadata). */
  static AnalysisRef analysisRef(Fields a, boolean background) {
    List<String> names = new ArrayList<>();
    Set<String> cluster = new LinkedHashSet<>();
    for (Fields t : a.objects("templates")) {
      String name = t.requiredString("templateName");
      boolean clusterScope = t.bool("clusterScope").orElse(false);
      t.done();
      if (!name.isEmpty()) {
        names.add(name);
        if (clusterScope) {
          cluster.add(name);
        }
      }
    }
    if (!a.has("templates")) {
      a.refuseAt("templates", "is required (a list of templateName)");
    }
    Map<String, String> args = new LinkedHashMap<>();
    Map<String, ArgumentSource> from = new LinkedHashMap<>();
    args(a, args, from);
    List<String> dryRun = new ArrayList<>();
    for (Fields d : a.objects("dryRun")) {
      d.string("metricName").ifPresent(dryRun::add);
      if (!d.has("metricName")) {
        d.refuseAt("metricName", "is required");
      }
      d.done();
    }
    List<MeasurementRetention> retention = new ArrayList<>();
    for (Fields r : a.objects("measurementRetention")) {
      Optional<String> metric = r.string("metricName");
      OptionalInt limit = r.integer("limit", 1, MAX_INT);
      if (metric.isEmpty()) {
        r.refuseAt("metricName", "is required");
      }
      if (!r.has("limit")) {
        r.refuseAt("limit", "is required");
      }
      r.done();
      if (metric.isPresent() && limit.isPresent()) {
        try {
          retention.add(new MeasurementRetention(metric.get(), limit.getAsInt()));
        } catch (IllegalArgumentException e) {
          r.refuseAt("metricName", e.getMessage());
        }
      }
    }
    a.ifObject("analysisRunMetadata", RolloutDocumentReader::analysisRunMetadata);
    return new AnalysisRef(names, args, from, cluster, dryRun, retention);
  }

  /** {@code args[]}: a value, or valueFrom podTemplateHashValue / fieldRef. */
  static void args(Fields a, Map<String, String> args, Map<String, ArgumentSource> from) {
    for (Fields arg : a.objects("args")) {
      String name = arg.requiredString("name");
      boolean hasValue = arg.has("value");
      Optional<String> value = arg.string("value");
      Optional<ArgumentSource> source =
          arg.object("valueFrom").flatMap(RolloutDocumentReader::valueFrom);
      if (hasValue && arg.has("valueFrom")) {
        arg.refuseAt("valueFrom", "must not be set together with value");
      } else if (!name.isEmpty()) {
        if (args.containsKey(name) || from.containsKey(name)) {
          arg.refuseAt("name", "repeats argument '" + name + "'");
        } else if (value.isPresent()) {
          args.put(name, value.get());
        } else if (source.isPresent()) {
          from.put(name, source.get());
        } else if (!arg.has("valueFrom")) {
          arg.refuseAt("value", "is required (or valueFrom)");
        }
      }
      arg.done();
    }
  }

  private static Optional<ArgumentSource> valueFrom(Fields v) {
    Optional<ArgumentSource> out = Optional.empty();
    if (v.has("podTemplateHashValue") == v.has("fieldRef") && !v.has("secretKeyRef")) {
      v.refuseAt("", "must set exactly one of podTemplateHashValue and fieldRef");
    }
    Optional<String> hash = v.string("podTemplateHashValue");
    if (hash.isPresent()) {
      if (hash.get().equals("Stable")) {
        out =
            Optional.of(
                new ArgumentSource.PodTemplateHash(ArgumentSource.PodTemplateHash.Which.STABLE));
      } else if (hash.get().equals("Latest")) {
        out =
            Optional.of(
                new ArgumentSource.PodTemplateHash(ArgumentSource.PodTemplateHash.Which.LATEST));
      } else {
        v.refuseAt(
            "podTemplateHashValue", "must be Stable or Latest, but was '" + hash.get() + "'");
      }
    }
    Optional<Fields> field = v.object("fieldRef");
    if (field.isPresent()) {
      String path = field.get().requiredString("fieldPath");
      field.get().done();
      if (!path.isEmpty()) {
        Optional<String> problem = FieldPaths.problem(path);
        if (problem.isPresent()) {
          field.get().refuseAt("fieldPath", problem.get());
        } else if (out.isEmpty()) {
          out = Optional.of(new ArgumentSource.FieldRef(path));
        }
      }
    }
    v.refuse(
        "secretKeyRef",
        "a Rollout's analysis arguments take podTemplateHashValue or fieldRef; put secretKeyRef"
            + " in the AnalysisTemplate's args");
    v.done();
    return out;
  }

  // ------------------------------------------------------------------ traffic routing

  private static TrafficRouting trafficRouting(
      Fields t, Set<String> managed, String rollout, String namespace) {
    for (Fields r : t.objects("managedRoutes")) {
      String name = r.requiredString("name");
      r.done();
      if (!name.isEmpty() && !managed.add(name)) {
        r.refuseAt("name", "repeats managed route '" + name + "'");
      }
    }
    List<TrafficRouting> routers = new ArrayList<>();
    t.object("istio").map(RolloutDocumentReader::istio).ifPresent(x -> x.ifPresent(routers::add));
    t.object("nginx").map(RolloutDocumentReader::nginx).ifPresent(x -> x.ifPresent(routers::add));
    t.object("alb").map(RolloutDocumentReader::alb).ifPresent(x -> x.ifPresent(routers::add));
    t.object("smi")
        .ifPresent(
            s -> {
              String root = s.string("rootService").orElse("");
              Optional<String> split = s.string("trafficSplitName");
              s.done();
              routers.add(
                  new TrafficRouting.Smi(root, split.filter(x -> !x.isBlank()).orElse(rollout)));
            });
    t.object("ambassador")
        .ifPresent(
            a -> {
              List<String> mappings = a.strings("mappings");
              if (mappings.isEmpty()) {
                a.refuseAt("mappings", "must list at least one Mapping");
              }
              a.done();
              if (!mappings.isEmpty()) {
                routers.add(new TrafficRouting.Ambassador(mappings));
              }
            });
    t.object("appMesh")
        .ifPresent(
            m -> {
              String vs = "";
              List<String> routes = List.of();
              Optional<Fields> v = m.object("virtualService");
              if (v.isPresent()) {
                vs = v.get().requiredString("name");
                routes = v.get().strings("routes");
                v.get().done();
              } else {
                m.refuseAt("virtualService", "is required");
              }
              String canaryNode = "";
              String stableNode = "";
              Optional<Fields> g = m.object("virtualNodeGroup");
              if (g.isPresent()) {
                canaryNode =
                    g.get()
                        .object("canaryVirtualNodeRef")
                        .map(
                            n -> {
                              String x = n.requiredString("name");
                              n.done();
                              return x;
                            })
                        .orElse("");
                stableNode =
                    g.get()
                        .object("stableVirtualNodeRef")
                        .map(
                            n -> {
                              String x = n.requiredString("name");
                              n.done();
                              return x;
                            })
                        .orElse("");
                if (!g.get().has("canaryVirtualNodeRef")) {
                  g.get().refuseAt("canaryVirtualNodeRef", "is required");
                }
                if (!g.get().has("stableVirtualNodeRef")) {
                  g.get().refuseAt("stableVirtualNodeRef", "is required");
                }
                g.get().done();
              } else {
                m.refuseAt("virtualNodeGroup", "is required");
              }
              m.done();
              if (!vs.isEmpty() && !canaryNode.isEmpty() && !stableNode.isEmpty()) {
                routers.add(new TrafficRouting.AppMesh(vs, routes, canaryNode, stableNode));
              }
            });
    t.object("traefik")
        .ifPresent(
            tr -> {
              String name = tr.requiredString("weightedTraefikServiceName");
              tr.done();
              if (!name.isEmpty()) {
                routers.add(new TrafficRouting.Traefik(name));
              }
            });
    t.object("apisix")
        .ifPresent(
            a -> {
              Optional<Fields> route = a.object("route");
              if (route.isEmpty()) {
                a.refuseAt("route", "is required");
              }
              route.ifPresent(
                  r -> {
                    String name = r.requiredString("name");
                    List<String> rules = r.strings("rules");
                    r.done();
                    if (!name.isEmpty()) {
                      routers.add(new TrafficRouting.Apisix(name, rules));
                    }
                  });
              a.done();
            });
    t.object("plugins")
        .ifPresent(
            p -> {
              for (String plugin : p.names()) {
                if (plugin.equals("argoproj-labs/gatewayAPI")) {
                  p.object(plugin)
                      .ifPresent(
                          g -> {
                            String route = g.requiredString("httpRoute");
                            g.refuse(
                                "httpRoutes",
                                "several HTTPRoutes are not supported; name one httpRoute");
                            g.refuse(
                                "grpcRoute", "GRPCRoutes are not supported; name an httpRoute");
                            g.refuse("tcpRoute", "TCPRoutes are not supported; name an httpRoute");
                            g.string("namespace")
                                .filter(ns -> !ns.isBlank() && !ns.equals(namespace))
                                .ifPresent(
                                    ns ->
                                        g.refuseAt(
                                            "namespace",
                                            "an HTTPRoute in another namespace than the Rollout's ("
                                                + namespace
                                                + ") is not supported, but was '"
                                                + ns
                                                + "'"));
                            g.done();
                            if (!route.isEmpty()) {
                              routers.add(new TrafficRouting.GatewayApi(route));
                            }
                          });
                } else {
                  p.refuse(
                      plugin,
                      "traffic router plugins are not supported by Glidepath, except"
                          + " argoproj-labs/gatewayAPI");
                }
              }
              p.done();
            });
    t.done();
    if (routers.isEmpty()) {
      if (t.names().stream()
          .noneMatch(n -> n.equals("managedRoutes") || n.equals("maxTrafficWeight"))) {
        t.refuseAt("", "must configure a traffic router");
      }
      return null;
    }
    return routers.size() == 1 ? routers.get(0) : new TrafficRouting.Combined(routers);
  }

  private static Optional<TrafficRouting> istio(Fields i) {
    List<TrafficRouting.Istio.VirtualService> services = new ArrayList<>();
    i.object("virtualService")
        .map(RolloutDocumentReader::virtualService)
        .ifPresent(x -> x.ifPresent(services::add));
    for (Fields vs : i.objects("virtualServices")) {
      virtualService(vs).ifPresent(services::add);
    }
    if (i.has("virtualService") && i.has("virtualServices")) {
      i.refuseAt("", "must set either virtualService or virtualServices, but sets both");
    }
    Set<String> names = new java.util.HashSet<>();
    for (TrafficRouting.Istio.VirtualService vs : services) {
      if (!names.add(vs.name())) {
        i.refuseAt("virtualServices", "repeats VirtualService '" + vs.name() + "'");
        return Optional.empty();
      }
    }
    Optional<TrafficRouting.Istio.DestinationRule> rule = Optional.empty();
    Optional<Fields> dr = i.object("destinationRule");
    if (dr.isPresent()) {
      String name = dr.get().requiredString("name");
      String canary = dr.get().requiredString("canarySubsetName");
      String stable = dr.get().requiredString("stableSubsetName");
      dr.get().done();
      if (!canary.isEmpty() && canary.equals(stable)) {
        dr.get()
            .refuseAt(
                "stableSubsetName",
                "must differ from canarySubsetName, but both are '" + canary + "'");
      } else if (!name.isEmpty() && !canary.isEmpty() && !stable.isEmpty()) {
        rule = Optional.of(new TrafficRouting.Istio.DestinationRule(name, canary, stable));
      }
    }
    if (!i.has("virtualService") && !i.has("virtualServices")) {
      i.refuseAt("", "needs virtualService or virtualServices");
    }
    i.done();
    return services.isEmpty()
        ? Optional.empty()
        : Optional.of(new TrafficRouting.Istio(services, rule));
  }

  private static Optional<TrafficRouting.Istio.VirtualService> virtualService(Fields vs) {
    String name = vs.requiredString("name");
    List<String> routes = vs.strings("routes");
    List<TrafficRouting.Istio.TlsRoute> tls = new ArrayList<>();
    for (Fields r : vs.objects("tlsRoutes")) {
      OptionalInt port = r.integer("port", 0, 65535);
      List<String> hosts = r.strings("sniHosts");
      r.done();
      tls.add(new TrafficRouting.Istio.TlsRoute(port.orElse(0), hosts));
    }
    List<TrafficRouting.Istio.TcpRoute> tcp = new ArrayList<>();
    for (Fields r : vs.objects("tcpRoutes")) {
      OptionalInt port = r.integer("port", 0, 65535);
      r.done();
      tcp.add(new TrafficRouting.Istio.TcpRoute(port.orElse(0)));
    }
    vs.done();
    return name.isEmpty()
        ? Optional.empty()
        : Optional.of(new TrafficRouting.Istio.VirtualService(name, routes, tls, tcp));
  }

  private static Optional<TrafficRouting> nginx(Fields n) {
    List<String> ingresses = new ArrayList<>();
    n.string("stableIngress").filter(x -> !x.isBlank()).ifPresent(ingresses::add);
    List<String> more = n.strings("stableIngresses");
    if (!ingresses.isEmpty() && !more.isEmpty()) {
      n.refuseAt("stableIngresses", "must not be set together with stableIngress");
    }
    ingresses.addAll(more);
    if (ingresses.isEmpty()) {
      n.refuseAt("stableIngress", "is required (or stableIngresses)");
    }
    String prefix =
        n.string("annotationPrefix")
            .filter(x -> !x.isBlank())
            .orElse(TrafficRouting.Nginx.DEFAULT_ANNOTATION_PREFIX);
    Map<String, String> additional = n.stringMap("additionalIngressAnnotations");
    Map<String, String> canary = n.stringMap("canaryIngressAnnotations");
    n.done();
    return ingresses.isEmpty()
        ? Optional.empty()
        : Optional.of(new TrafficRouting.Nginx(ingresses, prefix, additional, canary));
  }

  private static Optional<TrafficRouting> alb(Fields a) {
    List<String> ingresses = new ArrayList<>();
    a.string("ingress").filter(x -> !x.isBlank()).ifPresent(ingresses::add);
    List<String> more = a.strings("ingresses");
    if (!ingresses.isEmpty() && !more.isEmpty()) {
      a.refuseAt("ingresses", "must not be set together with ingress");
    }
    ingresses.addAll(more);
    if (ingresses.isEmpty()) {
      a.refuseAt("ingress", "is required (or ingresses)");
    }
    OptionalInt port = a.integer("servicePort", 1, 65535);
    if (!a.has("servicePort")) {
      a.refuseAt("servicePort", "is required");
    }
    Optional<String> root = a.string("rootService").filter(x -> !x.isBlank());
    String prefix =
        a.string("annotationPrefix")
            .filter(x -> !x.isBlank())
            .orElse(TrafficRouting.Alb.DEFAULT_ANNOTATION_PREFIX);
    OptionalLong stickiness = OptionalLong.empty();
    Optional<Fields> sc = a.object("stickinessConfig");
    if (sc.isPresent()) {
      boolean enabled = sc.get().bool("enabled").orElse(false);
      OptionalInt seconds = sc.get().integer("durationSeconds", 1, 604800);
      if (enabled && !sc.get().has("durationSeconds")) {
        sc.get().refuseAt("durationSeconds", "is required when enabled (1..604800)");
      }
      sc.get().done();
      if (enabled && seconds.isPresent()) {
        stickiness = OptionalLong.of(seconds.getAsInt());
      }
    }
    a.refuse("servicePorts", "per-Ingress service ports are not supported; set servicePort");
    a.done();
    if (ingresses.isEmpty() || port.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new TrafficRouting.Alb(ingresses, port.getAsInt(), root, prefix, stickiness));
  }

  // ------------------------------------------------------------------ blue-green

  private static void blueGreen(Fields g, BlueGreenPlan.Builder b, Refusals refusals) {
    b.activeService(g.requiredString("activeService"));
    g.string("previewService").filter(s -> !s.isBlank()).ifPresent(b::previewService);
    g.integer("previewReplicaCount", 0, MAX_INT).ifPresent(b::previewReplicaCount);
    g.bool("autoPromotionEnabled").ifPresent(b::autoPromotionEnabled);
    g.integer("autoPromotionSeconds", 0, MAX_INT).ifPresent(b::autoPromotionSeconds);
    g.intOrString("maxUnavailable").ifPresent(b::maxUnavailable);
    g.integer("scaleDownDelaySeconds", 0, MAX_INT).ifPresent(b::scaleDownDelaySeconds);
    revisionLimit(g).ifPresent(b::scaleDownDelayRevisionLimit);
    g.object("prePromotionAnalysis")
        .ifPresent(
            a -> {
              AnalysisRef ref = analysisRef(a, false);
              a.done();
              b.prePromotionAnalysis(ref);
            });
    g.object("postPromotionAnalysis")
        .ifPresent(
            a -> {
              AnalysisRef ref = analysisRef(a, false);
              a.done();
              b.postPromotionAnalysis(ref);
            });
    g.object("antiAffinity")
        .map(RolloutDocumentReader::antiAffinity)
        .flatMap(x -> x)
        .ifPresent(b::antiAffinity);
    g.object("previewMetadata")
        .map(RolloutDocumentReader::podMetadata)
        .ifPresent(b::previewMetadata);
    g.object("activeMetadata").map(RolloutDocumentReader::podMetadata).ifPresent(b::activeMetadata);
    g.integer("abortScaleDownDelaySeconds", 0, MAX_INT).ifPresent(b::abortScaleDownDelaySeconds);
    g.done();
  }

  /**
   * scaleDownDelayRevisionLimit: how many old ReplicaSets may wait out scaleDownDelaySeconds at
   * once (0: none); absent, no limit.
   */
  private static OptionalInt revisionLimit(Fields f) {
    return f.integer("scaleDownDelayRevisionLimit", 0, MAX_INT);
  }

  static ObjectNode emptyObject() {
    return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }

  /** Where the document starts, for messages. */
  static Origin origin(Refusals r) {
    return r.document();
  }
}
