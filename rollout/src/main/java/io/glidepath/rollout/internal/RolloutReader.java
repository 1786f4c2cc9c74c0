package io.glidepath.rollout.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BackgroundAnalysis;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.PlanValidationException;
import io.glidepath.rollout.PlanValidationException.Problem;
import io.glidepath.rollout.TrafficRouting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads Argo Rollout YAML (and AnalysisTemplates next to it) into plans. */
public final class RolloutReader {
  private RolloutReader() {}

  /** A Rollout and the templates found with it. */
  public record Parsed(Resource rollout, List<AnalysisTemplate> templates) {}

  public static Parsed read(Path file) {
    return parse(Yaml.readDocuments(file), file.toString());
  }

  public static Parsed read(String yaml, String source) {
    return parse(Yaml.readDocuments(yaml, source), source);
  }

  private static Parsed parse(List<YamlDocument> docs, String source) {
    Resource rollout = null;
    List<AnalysisTemplate> templates = new ArrayList<>();
    for (YamlDocument d : docs) {
      JsonNode c = d.content();
      if (c == null || !c.isObject()) {
        continue;
      }
      String kind = c.path("kind").asString("");
      if (kind.equals("Rollout")) {
        if (rollout != null) {
          throw new PlanValidationException(
              rollout.name(),
              List.of(
                  new Problem(
                      Optional.empty(),
                      "kind",
                      "a file must hold one Rollout, but " + source + " holds more")));
        }
        rollout = Resource.of(c, d.origin());
      } else if (kind.equals("AnalysisTemplate") || kind.equals("ClusterAnalysisTemplate")) {
        templates.add(AnalysisTemplate.fromTree(c, source));
      }
    }
    if (rollout == null) {
      throw new PlanValidationException(
          source, List.of(new Problem(Optional.empty(), "kind", "no Rollout in " + source)));
    }
    return new Parsed(rollout, templates);
  }

  public static CanaryPlan canary(Parsed parsed, List<AnalysisTemplate> extra) {
    Resource r = parsed.rollout();
    JsonNode spec = r.body().path("spec");
    JsonNode canary = spec.path("strategy").path("canary");
    if (!canary.isObject()) {
      throw new PlanValidationException(
          r.name(),
          List.of(
              new Problem(
                  Optional.empty(),
                  "spec.strategy.canary",
                  "is missing (strategy has " + fieldNames(spec.path("strategy")) + ")")));
    }
    CanaryPlan.Builder b = CanaryPlan.builder(r.name());
    r.namespace().ifPresent(b::namespace);
    b.replicas(spec.path("replicas").asInt(1));
    if (spec.path("template").isObject()) {
      b.podTemplate((ObjectNode) spec.path("template"));
    }
    parsed.templates().forEach(b::template);
    extra.forEach(b::template);
    List<Problem> problems = new ArrayList<>();
    JsonNode steps = canary.path("steps");
    for (int i = 0; i < steps.size(); i++) {
      CanaryStep step = step(i, steps.get(i), problems);
      // an unreadable step keeps its place so that the builder's step indexes stay right; the
      // plan is rejected anyway
      b.step(step != null ? step : CanaryStep.Pause.of(Duration.ZERO));
    }
    text(canary, "canaryService").ifPresent(b::canaryService);
    text(canary, "stableService").ifPresent(b::stableService);
    JsonNode routing = canary.path("trafficRouting");
    if (routing.isObject()) {
      b.trafficRouting(routing(r, routing, problems));
    }
    if (canary.path("analysis").isObject()) {
      JsonNode a = canary.path("analysis");
      b.backgroundAnalysis(new BackgroundAnalysis(ref(a), a.path("startingStep").asInt(0)));
    }
    text(canary, "maxSurge").ifPresent(b::maxSurge);
    text(canary, "maxUnavailable").ifPresent(b::maxUnavailable);
    if (canary.has("scaleDownDelaySeconds")) {
      b.scaleDownDelaySeconds(canary.path("scaleDownDelaySeconds").asInt());
    }
    if (canary.has("abortScaleDownDelaySeconds")) {
      b.abortScaleDownDelaySeconds(canary.path("abortScaleDownDelaySeconds").asInt());
    }
    b.dynamicStableScale(canary.path("dynamicStableScale").asBoolean(false));
    CanaryPlan plan;
    try {
      plan = b.build();
    } catch (PlanValidationException e) {
      List<Problem> all = new ArrayList<>(problems);
      all.addAll(e.problems());
      all.sort(
          java.util.Comparator.comparing((Problem p) -> p.stepIndex().orElse(Integer.MAX_VALUE)));
      throw new PlanValidationException(r.name(), all);
    }
    if (!problems.isEmpty()) {
      throw new PlanValidationException(r.name(), problems);
    }
    return plan;
  }

  public static BlueGreenPlan blueGreen(Parsed parsed, List<AnalysisTemplate> extra) {
    Resource r = parsed.rollout();
    JsonNode spec = r.body().path("spec");
    JsonNode bg = spec.path("strategy").path("blueGreen");
    if (!bg.isObject()) {
      throw new PlanValidationException(
          r.name(),
          List.of(
              new Problem(
                  Optional.empty(),
                  "spec.strategy.blueGreen",
                  "is missing (strategy has " + fieldNames(spec.path("strategy")) + ")")));
    }
    BlueGreenPlan.Builder b = BlueGreenPlan.builder(r.name());
    r.namespace().ifPresent(b::namespace);
    b.replicas(spec.path("replicas").asInt(1));
    if (spec.path("template").isObject()) {
      b.podTemplate((ObjectNode) spec.path("template"));
    }
    parsed.templates().forEach(b::template);
    extra.forEach(b::template);
    text(bg, "activeService").ifPresent(b::activeService);
    text(bg, "previewService").ifPresent(b::previewService);
    if (bg.has("previewReplicaCount")) {
      b.previewReplicaCount(bg.path("previewReplicaCount").asInt());
    }
    if (bg.has("autoPromotionEnabled")) {
      b.autoPromotionEnabled(bg.path("autoPromotionEnabled").asBoolean(true));
    }
    if (bg.has("autoPromotionSeconds")) {
      b.autoPromotionSeconds(bg.path("autoPromotionSeconds").asInt());
    }
    if (bg.path("prePromotionAnalysis").isObject()) {
      b.prePromotionAnalysis(ref(bg.path("prePromotionAnalysis")));
    }
    if (bg.path("postPromotionAnalysis").isObject()) {
      b.postPromotionAnalysis(ref(bg.path("postPromotionAnalysis")));
    }
    if (bg.has("scaleDownDelaySeconds")) {
      b.scaleDownDelaySeconds(bg.path("scaleDownDelaySeconds").asInt());
    }
    return b.build();
  }

  private static CanaryStep step(int i, JsonNode s, List<Problem> problems) {
    Optional<Integer> index = Optional.of(i);
    String field = "steps[" + i + "]";
    if (!s.isObject() || s.size() != 1) {
      problems.add(
          new Problem(
              index,
              field,
              "must have exactly one of setWeight, pause, analysis, setCanaryScale,"
                  + " setHeaderRoute, setMirrorRoute, but had "
                  + fieldNames(s)));
      return null;
    }
    String kind = s.propertyNames().iterator().next();
    JsonNode v = s.get(kind);
    switch (kind) {
      case "setWeight":
        if (!v.isNumber()) {
          problems.add(new Problem(index, field + ".setWeight", "must be a number, but was " + v));
          return null;
        }
        return new CanaryStep.SetWeight(v.asInt());
      case "pause":
        if (v.isNull() || !v.has("duration")) {
          return CanaryStep.Pause.indefinite();
        }
        try {
          JsonNode d = v.get("duration");
          Duration duration =
              d.isNumber() ? Duration.ofSeconds(d.asLong()) : GoDuration.parse(d.asString());
          return CanaryStep.Pause.of(duration);
        } catch (RuntimeException e) {
          problems.add(new Problem(index, field + ".pause.duration", e.getMessage()));
          return null;
        }
      case "analysis":
        return new CanaryStep.Analysis(ref(v));
      case "setCanaryScale":
        {
          java.util.OptionalInt replicas =
              v.has("replicas")
                  ? java.util.OptionalInt.of(v.get("replicas").asInt())
                  : java.util.OptionalInt.empty();
          java.util.OptionalInt weight =
              v.has("weight")
                  ? java.util.OptionalInt.of(v.get("weight").asInt())
                  : java.util.OptionalInt.empty();
          return new CanaryStep.SetCanaryScale(
              replicas, weight, v.path("matchTrafficWeight").asBoolean(false));
        }
      case "setHeaderRoute":
        {
          List<CanaryStep.HeaderMatch> matches = new ArrayList<>();
          for (JsonNode m : v.path("match")) {
            JsonNode hv = m.path("headerValue");
            String type = hv.propertyNames().stream().findFirst().orElse("exact");
            matches.add(
                new CanaryStep.HeaderMatch(
                    m.path("headerName").asString(""), type, hv.path(type).asString("")));
          }
          return new CanaryStep.SetHeaderRoute(v.path("name").asString(""), matches);
        }
      case "setMirrorRoute":
        {
          List<Map<String, Object>> matches = new ArrayList<>();
          for (JsonNode m : v.path("match")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Yaml.mapper().convertValue(m, LinkedHashMap.class);
            matches.add(map);
          }
          return new CanaryStep.SetMirrorRoute(
              v.path("name").asString(""), v.path("percentage").asInt(100), matches);
        }
      default:
        problems.add(new Problem(index, field + "." + kind, "is not a known step"));
        return null;
    }
  }

  private static AnalysisRef ref(JsonNode a) {
    List<String> names = new ArrayList<>();
    for (JsonNode t : a.path("templates")) {
      names.add(t.path("templateName").asString(""));
    }
    Map<String, String> args = new LinkedHashMap<>();
    for (JsonNode arg : a.path("args")) {
      if (arg.has("value")) {
        args.put(arg.path("name").asString(""), arg.path("value").asString(""));
      }
    }
    return new AnalysisRef(names, args);
  }

  private static TrafficRouting routing(Resource r, JsonNode routing, List<Problem> problems) {
    if (routing.has("istio")) {
      JsonNode istio = routing.path("istio");
      int known = problems.size();
      List<TrafficRouting.Istio.VirtualService> services = new ArrayList<>();
      if (istio.path("virtualService").isObject()) {
        services.add(virtualService(istio.path("virtualService")));
      }
      for (JsonNode vs : istio.path("virtualServices")) {
        services.add(virtualService(vs));
      }
      if (istio.has("virtualService") && istio.has("virtualServices")) {
        problems.add(
            new Problem(
                Optional.empty(),
                "trafficRouting.istio",
                "must set either virtualService or virtualServices, but sets both"));
      }
      Optional<TrafficRouting.Istio.DestinationRule> rule = Optional.empty();
      JsonNode dr = istio.path("destinationRule");
      if (dr.isObject()) {
        String name = dr.path("name").asString("");
        String canary = dr.path("canarySubsetName").asString("");
        String stable = dr.path("stableSubsetName").asString("");
        if (name.isBlank() || canary.isBlank() || stable.isBlank() || canary.equals(stable)) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "trafficRouting.istio.destinationRule",
                  "needs name, canarySubsetName and stableSubsetName (two different subsets),"
                      + " but has "
                      + Yaml.toJson(dr)));
        } else {
          rule = Optional.of(new TrafficRouting.Istio.DestinationRule(name, canary, stable));
        }
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < services.size(); i++) {
        String name = services.get(i).name();
        if (name.isBlank() || !names.add(name)) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "trafficRouting.istio.virtualServices[" + i + "].name",
                  name.isBlank() ? "is required" : "repeats '" + name + "'"));
        }
      }
      if (services.isEmpty()) {
        problems.add(
            new Problem(
                Optional.empty(),
                "trafficRouting.istio",
                "needs virtualService or virtualServices, but has " + fieldNames(istio)));
        return null;
      }
      return problems.size() > known ? null : new TrafficRouting.Istio(services, rule);
    }
    if (routing.has("nginx")) {
      return new TrafficRouting.Nginx(routing.path("nginx").path("stableIngress").asString(""));
    }
    if (routing.has("plugins") && routing.path("plugins").has("argoproj-labs/gatewayAPI")) {
      return new TrafficRouting.GatewayApi(
          routing.path("plugins").path("argoproj-labs/gatewayAPI").path("httpRoute").asString(""));
    }
    if (routing.has("smi")) {
      JsonNode smi = routing.path("smi");
      return new TrafficRouting.Smi(
          smi.path("rootService").asString(""), smi.path("trafficSplitName").asString(r.name()));
    }
    problems.add(
        new Problem(
            Optional.empty(),
            "trafficRouting",
            "supports istio, nginx, smi and plugins.argoproj-labs/gatewayAPI, but has "
                + fieldNames(routing)));
    return null;
  }

  private static TrafficRouting.Istio.VirtualService virtualService(JsonNode vs) {
    List<String> routes = new ArrayList<>();
    vs.path("routes").forEach(n -> routes.add(n.asString()));
    return new TrafficRouting.Istio.VirtualService(vs.path("name").asString(""), routes);
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
  }

  private static List<String> fieldNames(JsonNode n) {
    return n.isObject() ? new ArrayList<>(n.propertyNames()) : List.of();
  }
}
