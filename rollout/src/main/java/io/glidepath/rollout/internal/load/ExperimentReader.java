package io.glidepath.rollout.internal.load;

import io.glidepath.analysis.AnalysisTemplate.MeasurementRetention;
import io.glidepath.rollout.PodMetadata;
import io.glidepath.rollout.experiment.ExperimentAnalysis;
import io.glidepath.rollout.experiment.ExperimentSpec;
import io.glidepath.rollout.experiment.ExperimentTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads an Argo Rollouts {@code Experiment} document field by field. */
final class ExperimentReader {
  /**
   * An experiment Service's own ports (newer Argo Rollouts): Glidepath gives the Service the pod
   * template's container ports, as Argo Rollouts v1.8 does.
   */
  static final String SERVICE_PORTS_REFUSED =
      "is not supported: the Service gets the pod template's container ports (set them there)";

  private ExperimentReader() {}

  /** The experiment's builder; its analysis templates are supplied by {@link Batch}. */
  static Optional<ExperimentSpec.Builder> read(JsonNode doc, Refusals refusals) {
    Fields root = Fields.of(doc, "", refusals);
    Metadata meta = Metadata.read(root, refusals, "argoproj.io/v1alpha1", "Experiment");
    root.ignore("status");
    Optional<Fields> spec = root.object("spec");
    if (spec.isEmpty()) {
      refusals.add("spec", "is required");
    }
    root.done();
    if (spec.isEmpty()) {
      return Optional.empty();
    }
    Fields s = spec.get();
    ExperimentSpec.Builder b =
        ExperimentSpec.builder(meta.name().isEmpty() ? "unnamed" : meta.name())
            .namespace(meta.namespace());
    for (Fields t : s.objects("templates")) {
      String name = t.requiredString("name");
      int replicas = t.integer("replicas", 0, Integer.MAX_VALUE).orElse(1);
      int minReady = t.integer("minReadySeconds", 0, Integer.MAX_VALUE).orElse(0);
      Map<String, String> selector = new LinkedHashMap<>();
      t.ifObject(
          "selector",
          sel -> {
            selector.putAll(sel.stringMap("matchLabels"));
            sel.refuse(
                "matchExpressions",
                "selectors with matchExpressions are not supported; use matchLabels");
            sel.done();
          });
      Optional<JsonNode> template = t.raw("template");
      if (template.isEmpty()) {
        t.refuseAt("template", "is required");
      }
      template.ifPresent(x -> PodTemplates.check(x, t.path("template"), refusals));
      if (template.isPresent() && !selector.isEmpty()) {
        JsonNode labels = template.get().path("metadata").path("labels");
        selector.forEach(
            (k, v) -> {
              if (!v.equals(labels.path(k).asString(null))) {
                refusals.add(
                    t.path("selector.matchLabels." + k),
                    "does not match the pod template's labels ("
                        + k
                        + "="
                        + labels.path(k).asString("<unset>")
                        + ")");
              }
            });
      }
      Optional<ExperimentTemplate.ServiceRef> service =
          t.object("service")
              .map(
                  svc -> {
                    Optional<String> svcName = svc.string("name").filter(x -> !x.isBlank());
                    svc.refuse("ports", SERVICE_PORTS_REFUSED);
                    svc.done();
                    return new ExperimentTemplate.ServiceRef(svcName);
                  });
      t.done();
      if (!name.isEmpty() && template.isPresent() && template.get().isObject()) {
        b.template(
            new ExperimentTemplate(
                name,
                Optional.empty(),
                Optional.of((ObjectNode) template.get()),
                replicas,
                minReady,
                selector,
                PodMetadata.NONE,
                OptionalInt.empty(),
                service));
      }
    }
    if (!s.has("templates")) {
      s.refuseAt("templates", "is required");
    }
    s.duration("duration").ifPresent(b::duration);
    s.integer("progressDeadlineSeconds", 1, Integer.MAX_VALUE)
        .ifPresent(b::progressDeadlineSeconds);
    s.bool("terminate").ifPresent(b::terminate);
    s.integer("scaleDownDelaySeconds", 0, Integer.MAX_VALUE).ifPresent(b::scaleDownDelaySeconds);
    List<ExperimentAnalysis> analyses = RolloutDocumentReader.experimentAnalyses(s);
    for (int i = 0; i < analyses.size(); i++) {
      if (!analyses.get(i).valueFrom().isEmpty()) {
        refusals.add(
            "spec.analyses[" + i + "].args",
            "valueFrom (a pod-template hash or a Rollout field) needs a Rollout; an Experiment's"
                + " analyses take values");
      }
      b.analysis(analyses.get(i));
    }
    for (Fields d : s.objects("dryRun")) {
      Optional<String> metric = d.string("metricName");
      if (metric.isEmpty()) {
        d.refuseAt("metricName", "is required");
      }
      d.done();
      metric.ifPresent(b::addDryRun);
    }
    for (Fields r : s.objects("measurementRetention")) {
      Optional<String> metric = r.string("metricName");
      OptionalInt limit = r.integer("limit", 1, Integer.MAX_VALUE);
      if (metric.isEmpty()) {
        r.refuseAt("metricName", "is required");
      }
      if (!r.has("limit")) {
        r.refuseAt("limit", "is required");
      }
      r.done();
      if (metric.isPresent() && limit.isPresent()) {
        try {
          b.addMeasurementRetention(new MeasurementRetention(metric.get(), limit.getAsInt()));
        } catch (IllegalArgumentException e) {
          r.refuseAt("metricName", e.getMessage());
        }
      }
    }
    s.done();
    return Optional.of(b);
  }
}
