package io.glidepath.core.app;

import io.glidepath.core.render.FileParameter;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.yaml.Yaml;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@link ApplicationSource} in Argo CD's JSON shape ({@code spec.source}), empty values left out
 * as Argo CD's JSON leaves them out: what {@link ApplicationSource#toJson()} gives.
 */
final class SourceJson {
  private SourceJson() {}

  static ObjectNode of(ApplicationSource source) {
    ObjectNode out = Yaml.mapper().createObjectNode();
    out.put("repoURL", source.repoURL());
    putIfNotEmpty(out, "path", source.path());
    putIfNotEmpty(out, "targetRevision", source.targetRevision());
    source.helm().ifPresent(h -> helm(out, h));
    source.directory().ifPresent(d -> directory(out, d));
    source.kustomize().ifPresent(k -> kustomize(out, k));
    source.chart().ifPresent(c -> putIfNotEmpty(out, "chart", c));
    source.ref().ifPresent(r -> out.put("ref", r));
    source.name().ifPresent(n -> out.put("name", n));
    return out;
  }

  private static void helm(ObjectNode source, HelmSource h) {
    ObjectNode out = source.putObject("helm");
    strings(out, "valueFiles", h.valueFiles());
    if (!h.parameters().isEmpty()) {
      ArrayNode parameters = out.putArray("parameters");
      for (Parameter p : h.parameters()) {
        ObjectNode n = parameters.addObject();
        n.put("name", p.name());
        putIfNotEmpty(n, "value", p.value());
        if (p.forceString()) {
          n.put("forceString", true);
        }
      }
    }
    h.releaseName().ifPresent(v -> putIfNotEmpty(out, "releaseName", v));
    h.values().ifPresent(v -> putIfNotEmpty(out, "values", v));
    if (h.ignoreMissingValueFiles()) {
      out.put("ignoreMissingValueFiles", true);
    }
    if (h.skipCrds()) {
      out.put("skipCrds", true);
    }
    h.valuesObject().ifPresent(v -> out.set("valuesObject", v.toTree()));
    if (!h.fileParameters().isEmpty()) {
      ArrayNode files = out.putArray("fileParameters");
      for (FileParameter p : h.fileParameters()) {
        files.addObject().put("name", p.name()).put("path", p.path());
      }
    }
    h.version().ifPresent(v -> out.put("version", v));
    if (h.passCredentials()) {
      out.put("passCredentials", true);
    }
    h.namespace().ifPresent(v -> out.put("namespace", v));
    h.kubeVersion().ifPresent(v -> out.put("kubeVersion", v));
    strings(out, "apiVersions", h.apiVersions());
    if (h.skipTests()) {
      out.put("skipTests", true);
    }
    if (h.skipSchemaValidation()) {
      out.put("skipSchemaValidation", true);
    }
  }

  private static void kustomize(ObjectNode source, KustomizeOptions k) {
    ObjectNode out = source.putObject("kustomize");
    strings(out, "images", k.images());
    putIfNotEmpty(out, "namePrefix", k.namePrefix());
    putIfNotEmpty(out, "nameSuffix", k.nameSuffix());
    if (!k.commonLabels().isEmpty()) {
      k.commonLabels().forEach(out.putObject("commonLabels")::put);
    }
    if (!k.commonAnnotations().isEmpty()) {
      k.commonAnnotations().forEach(out.putObject("commonAnnotations")::put);
    }
    if (k.forceCommonLabels()) {
      out.put("forceCommonLabels", true);
    }
    if (k.forceCommonAnnotations()) {
      out.put("forceCommonAnnotations", true);
    }
    putIfNotEmpty(out, "namespace", k.namespace());
    if (!k.replicas().isEmpty()) {
      ArrayNode replicas = out.putArray("replicas");
      for (KustomizeOptions.Replica r : k.replicas()) {
        replicas.addObject().put("name", r.name()).put("count", r.count());
      }
    }
    k.version().ifPresent(v -> out.put("version", v));
  }

  private static void directory(ObjectNode source, DirectorySource d) {
    ObjectNode out = source.putObject("directory");
    if (d.recurse()) {
      out.put("recurse", true);
    }
    d.exclude().ifPresent(v -> putIfNotEmpty(out, "exclude", v));
    d.include().ifPresent(v -> putIfNotEmpty(out, "include", v));
  }

  private static void putIfNotEmpty(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static void strings(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = node.putArray(field);
      values.forEach(a::add);
    }
  }
}
