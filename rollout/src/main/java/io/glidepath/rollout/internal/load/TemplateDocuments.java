package io.glidepath.rollout.internal.load;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.TemplateException;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.load.AnalysisRunSpec;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads (Cluster)AnalysisTemplate and AnalysisRun documents with the analysis module's strict
 * reader, places its error at the field's line, and checks every metric against the providers the
 * caller gave (an unregistered type, an unsupported option).
 */
final class TemplateDocuments {
  private TemplateDocuments() {}

  static Optional<AnalysisTemplate> template(
      JsonNode doc, String source, Refusals refusals, MetricProviders providers) {
    AnalysisTemplate t;
    try {
      t = AnalysisTemplate.fromTree(doc, source);
    } catch (TemplateException e) {
      refusals.add(e.path(), e.problem());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      refusals.add("spec", e.getMessage());
      return Optional.empty();
    }
    return validated(t, refusals, providers);
  }

  static Optional<AnalysisTemplate> validated(
      AnalysisTemplate t, Refusals refusals, MetricProviders providers) {
    for (int i = 0; i < t.metrics().size(); i++) {
      try {
        providers.validate(t.metrics().get(i));
      } catch (TemplateException e) {
        refusals.add("spec.metrics[" + i + "]." + e.path(), e.problem());
      }
    }
    return refusals.isEmpty() ? Optional.of(t) : Optional.empty();
  }

  static Optional<AnalysisRunSpec> run(
      JsonNode doc, String source, Refusals refusals, MetricProviders providers) {
    Fields root = Fields.of(doc, "", refusals);
    Metadata meta = Metadata.read(root, refusals, "argoproj.io/v1alpha1", "AnalysisRun");
    root.ignore("status");
    Optional<Fields> spec = root.object("spec");
    if (spec.isEmpty()) {
      refusals.add("spec", "is required");
    }
    root.done();
    ObjectNode template = RolloutDocumentReader.emptyObject();
    template.put("apiVersion", "argoproj.io/v1alpha1");
    template.put("kind", "AnalysisTemplate");
    template.putObject("metadata").put("name", meta.name().isEmpty() ? "run" : meta.name());
    ObjectNode templateSpec = template.putObject("spec");
    boolean terminate = false;
    if (spec.isPresent()) {
      Fields s = spec.get();
      for (String field : new String[] {"metrics", "args", "dryRun", "measurementRetention"}) {
        s.raw(field).ifPresent(v -> templateSpec.set(field, v.deepCopy()));
      }
      terminate = s.bool("terminate").orElse(false);
      // Glidepath keeps no AnalysisRun object, so there is nothing for a TTL to delete
      s.ifObject(
          "ttlStrategy",
          ttl -> {
            ttl.integer("secondsAfterCompletion", 0, Integer.MAX_VALUE);
            ttl.integer("secondsAfterFailure", 0, Integer.MAX_VALUE);
            ttl.integer("secondsAfterSuccess", 0, Integer.MAX_VALUE);
            ttl.done();
          });
      s.done();
    }
    if (!refusals.isEmpty()) {
      return Optional.empty();
    }
    Optional<AnalysisTemplate> t = template(template, source, refusals, providers);
    boolean terminated = terminate;
    return t.map(x -> new AnalysisRunSpec(meta.name(), meta.namespace(), x, terminated));
  }
}
