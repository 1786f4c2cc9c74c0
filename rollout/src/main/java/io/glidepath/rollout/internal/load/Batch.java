package io.glidepath.rollout.internal.load;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.Origin;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.FieldPositions;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.PlanValidationException;
import io.glidepath.rollout.RolloutOptions;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.WorkloadRef;
import io.glidepath.rollout.experiment.ExperimentSpec;
import io.glidepath.rollout.load.ArgoDocument;
import io.glidepath.rollout.load.CheckedDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents of one load (one or more files): read each, then resolve what refers across
 * documents (analysis templates, a workloadRef's Deployment) and build the plans. Every document
 * ends as loaded or refused, in the order read.
 */
public final class Batch {
  private static final Set<String> ROLLOUT_KINDS =
      Set.of("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate", "AnalysisRun", "Experiment");

  private final MetricProviders providers;
  private final List<AnalysisTemplate> extraTemplates;
  private final List<Entry> entries = new ArrayList<>();

  /** One document and what became of it. */
  private static final class Entry {
    final Origin origin;
    final JsonNode content;
    final String kind;
    final String name;
    final Refusals refusals;
    Object draft;
    ArgoDocument document;

    Entry(Origin origin, JsonNode content, String kind, String name, Refusals refusals) {
      this.origin = origin;
      this.content = content;
      this.kind = kind;
      this.name = name;
      this.refusals = refusals;
    }
  }

  public Batch(MetricProviders providers, List<AnalysisTemplate> extraTemplates) {
    this.providers = providers;
    this.extraTemplates = List.copyOf(extraTemplates);
    for (AnalysisTemplate t : extraTemplates) {
      Refusals r = new Refusals(Origin.of(t.source()), Map.of());
      TemplateDocuments.validated(t, r, providers);
      if (!r.isEmpty()) {
        throw new io.glidepath.rollout.load.DocumentRefusedException(
            t.kind().kindName(), t.name(), Origin.of(t.source()), r.list());
      }
    }
  }

  /** Reads the documents of one source; {@code positions} places refusals at their lines. */
  public void add(List<YamlDocument> documents, FieldPositions positions) {
    for (YamlDocument d : documents) {
      add(d.content(), d.origin(), positions.document(d.origin().documentIndex()));
    }
  }

  /** Reads one parsed resource (no line positions). */
  public void add(Resource resource) {
    add(resource.body(), resource.origin(), Map.of());
  }

  private void add(JsonNode content, Origin origin, Map<String, Origin> positions) {
    Refusals refusals = new Refusals(origin, positions);
    String kind = content.path("kind").asString("?");
    JsonNode meta = content.path("metadata");
    String name = meta.path("name").asString(meta.path("generateName").asString("?"));
    Entry e = new Entry(origin, content, kind.isEmpty() ? "?" : kind, name, refusals);
    entries.add(e);
    boolean argo = content.path("apiVersion").asString("").startsWith("argoproj.io/");
    if (!content.isObject() || !argo || !ROLLOUT_KINDS.contains(kind)) {
      if (content.isObject() && content.has("kind") && content.has("apiVersion")) {
        e.document = new ArgoDocument.Other(Resource.of(content, origin));
      } else {
        refusals.add("", "is not a Kubernetes object (it needs apiVersion, kind and metadata)");
      }
      return;
    }
    switch (kind) {
      case "Rollout" -> e.draft = RolloutDocumentReader.read(content, refusals);
      case "AnalysisTemplate", "ClusterAnalysisTemplate" ->
          TemplateDocuments.template(content, origin.source(), refusals, providers)
              .ifPresent(t -> e.document = new ArgoDocument.Template(t, origin));
      case "AnalysisRun" ->
          TemplateDocuments.run(content, origin.source(), refusals, providers)
              .ifPresent(r -> e.document = new ArgoDocument.Run(r, origin));
      case "Experiment" -> ExperimentReader.read(content, refusals).ifPresent(b -> e.draft = b);
      default -> throw new IllegalStateException(kind);
    }
  }

  /** Resolves references, builds the plans and experiments, and gives every document's verdict. */
  public List<CheckedDocument> finish() {
    List<AnalysisTemplate> templates = new ArrayList<>(extraTemplates);
    Map<String, Origin> refused = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (e.document instanceof ArgoDocument.Template t) {
        templates.add(t.template());
      } else if ((e.kind.equals("AnalysisTemplate") || e.kind.equals("ClusterAnalysisTemplate"))
          && !e.refusals.isEmpty()) {
        refused.put(e.kind + "/" + e.name, e.origin);
      }
    }
    for (Entry e : entries) {
      if (e.draft instanceof RolloutDocumentReader.Draft d) {
        rollout(e, d, templates, refused);
      } else if (e.draft instanceof ExperimentSpec.Builder b) {
        experiment(e, b, templates, refused);
      }
    }
    List<CheckedDocument> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.refusals.isEmpty() && e.document == null) {
        e.refusals.add("", "could not be read");
      }
      out.add(
          new CheckedDocument(
              e.origin,
              e.kind,
              e.name,
              e.refusals.isEmpty() ? Optional.of(e.document) : Optional.empty(),
              e.refusals.list()));
    }
    return out;
  }

  private void rollout(
      Entry e,
      RolloutDocumentReader.Draft d,
      List<AnalysisTemplate> templates,
      Map<String, Origin> refused) {
    if (d.builder() == null) {
      return;
    }
    d.workloadRef().ifPresent(ref -> resolveWorkload(e, d, ref));
    for (AnalysisTemplate t : templates) {
      if (sameNamespace(t, d.namespace())) {
        if (d.builder() instanceof CanaryPlan.Builder c) {
          c.template(t);
        } else {
          ((BlueGreenPlan.Builder) d.builder()).template(t);
        }
      }
    }
    if (!e.refusals.isEmpty()) {
      return;
    }
    RolloutSpec spec;
    try {
      spec =
          d.builder() instanceof CanaryPlan.Builder c
              ? c.build()
              : ((BlueGreenPlan.Builder) d.builder()).build();
    } catch (PlanValidationException x) {
      for (PlanValidationException.Problem p : x.problems()) {
        e.refusals.add(d.strategyPath() + "." + p.field(), explain(p.message(), refused));
      }
      return;
    } catch (IllegalArgumentException x) {
      e.refusals.add(d.strategyPath(), x.getMessage());
      return;
    }
    if (e.refusals.isEmpty()) {
      e.document = new ArgoDocument.Rollout(spec, e.origin);
    }
  }

  /** The template a plan names may be refused itself: say so rather than "not supplied". */
  private static String explain(String message, Map<String, Origin> refused) {
    for (Map.Entry<String, Origin> r : refused.entrySet()) {
      String name = r.getKey().substring(r.getKey().indexOf('/') + 1);
      if (message.contains("'" + name + "', which is not supplied")) {
        return message.substring(0, message.indexOf(", which is not supplied"))
            + ", which is refused ("
            + r.getValue()
            + ")";
      }
    }
    return message;
  }

  private void resolveWorkload(Entry e, RolloutDocumentReader.Draft d, WorkloadRef ref) {
    for (Entry other : entries) {
      JsonNode c = other.content;
      if (c.path("kind").asString("").equals(ref.kind())
          && c.path("apiVersion").asString("").equals(ref.apiVersion())
          && c.path("metadata").path("name").asString("").equals(ref.name())
          && c.path("metadata").path("namespace").asString("default").equals(d.namespace())) {
        JsonNode template = c.path("spec").path("template");
        Refusals r = new Refusals(other.origin, Map.of());
        PodTemplates.check(template, "spec.template", r);
        if (!r.isEmpty()) {
          e.refusals.add(
              "spec.workloadRef",
              "names "
                  + ref.kind()
                  + " '"
                  + ref.name()
                  + "' ("
                  + other.origin
                  + "), whose pod template is refused: "
                  + r.list().get(0));
          return;
        }
        ObjectNode podTemplate = ((ObjectNode) template).deepCopy();
        Map<String, String> selector = new LinkedHashMap<>();
        c.path("spec")
            .path("selector")
            .path("matchLabels")
            .properties()
            .forEach(x -> selector.put(x.getKey(), x.getValue().asString()));
        if (d.builder() instanceof CanaryPlan.Builder b) {
          b.podTemplate(podTemplate);
        } else {
          ((BlueGreenPlan.Builder) d.builder()).podTemplate(podTemplate);
        }
        options(d, selector);
        return;
      }
    }
  }

  /** The workload's selector, unless the Rollout gives its own. */
  private static void options(RolloutDocumentReader.Draft d, Map<String, String> selector) {
    RolloutOptions o = d.options();
    if (!o.selector().isEmpty()) {
      return;
    }
    RolloutOptions withSelector = o.toBuilder().selector(selector).build();
    if (d.builder() instanceof CanaryPlan.Builder b) {
      b.options(withSelector);
    } else {
      ((BlueGreenPlan.Builder) d.builder()).options(withSelector);
    }
  }

  private void experiment(
      Entry e,
      ExperimentSpec.Builder b,
      List<AnalysisTemplate> templates,
      Map<String, Origin> refused) {
    for (AnalysisTemplate t : templates) {
      b.analysisTemplate(t);
    }
    if (!e.refusals.isEmpty()) {
      return;
    }
    try {
      e.document = new ArgoDocument.Experiment(b.build(), e.origin);
    } catch (PlanValidationException x) {
      for (PlanValidationException.Problem p : x.problems()) {
        e.refusals.add("spec." + p.field(), explain(p.message(), refused));
      }
    }
  }

  private static boolean sameNamespace(AnalysisTemplate t, String namespace) {
    return t.kind() == AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE
        || t.namespace().isEmpty()
        || t.namespace().get().equals(namespace)
        || namespace.equals("default");
  }
}
