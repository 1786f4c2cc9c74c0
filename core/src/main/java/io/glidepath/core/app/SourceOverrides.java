package io.glidepath.core.app;

import io.glidepath.core.Origin;
import io.glidepath.core.internal.app.ApplicationReader;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.resource.JsonMergePatch;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo CD's parameter override files in a source's directory: {@code .argocd-source.yaml}, then
 * {@code .argocd-source-<app name>.yaml} (the files argocd-image-updater writes back), each merged
 * into the source as a JSON merge patch (RFC 7386) before the source's tool is chosen, as Argo CD's
 * repository server merges them. The source's repoURL, path, chart and targetRevision stay the
 * Application's. Field names match case-insensitively, as Go's JSON decoding matches them ({@code
 * forcestring} is {@code forceString}); the merged source is read as strictly as the Application,
 * its errors naming the override file.
 */
final class SourceOverrides {
  static final String COMMON = ".argocd-source.yaml";

  // the fields of a source at each level whose keys Go matches case-insensitively; the keys of
  // free-form maps (valuesObject, commonLabels, commonAnnotations) are left as written
  private static final Map<String, List<String>> FIELDS =
      Map.of(
          "",
          List.of(
              "repoURL",
              "path",
              "targetRevision",
              "helm",
              "kustomize",
              "directory",
              "plugin",
              "chart",
              "ref",
              "name"),
          "helm",
          List.of(
              "valueFiles",
              "parameters",
              "releaseName",
              "values",
              "fileParameters",
              "version",
              "passCredentials",
              "ignoreMissingValueFiles",
              "skipCrds",
              "valuesObject",
              "namespace",
              "kubeVersion",
              "apiVersions",
              "skipTests",
              "skipSchemaValidation"),
          "helm.parameters",
          List.of("name", "value", "forceString"),
          "helm.fileParameters",
          List.of("name", "path"),
          "kustomize",
          Stream.concat(
                  Stream.of(
                      "images",
                      "namePrefix",
                      "nameSuffix",
                      "commonLabels",
                      "commonAnnotations",
                      "forceCommonLabels",
                      "forceCommonAnnotations",
                      "namespace",
                      "replicas",
                      "version"),
                  ApplicationReader.KUSTOMIZE_UNSUPPORTED.stream())
              .toList(),
          "kustomize.replicas",
          List.of("name", "count"),
          "directory",
          List.of("recurse", "include", "exclude", "jsonnet"));
  private static final Set<String> KEPT = Set.of("repoURL", "path", "chart", "targetRevision");

  private SourceOverrides() {}

  /** The override file of the app named {@code app}. */
  static String forApp(String app) {
    return ".argocd-source-" + app + ".yaml";
  }

  /**
   * {@code source} with the override files in {@code appDir} (inside {@code repoRoot}) merged in;
   * {@code source} itself when there are none.
   *
   * @param app the Application's name
   * @param namespace the Application's namespace ({@code ""}: none)
   * @param where the source's field path for messages ({@code spec.source}, {@code
   *     spec.sources[1]})
   * @param multi whether the source is one of {@code spec.sources}
   * @throws RenderException naming the file when one cannot be read, is not a mapping or leads
   *     outside the repository; an {@link ApplicationException} naming it when the merged source is
   *     not a valid source
   */
  static ApplicationSource apply(
      ApplicationSource source,
      Path repoRoot,
      Path appDir,
      String app,
      String namespace,
      String where,
      boolean multi) {
    ObjectNode merged = null;
    String last = null;
    if (!namespace.isEmpty()) {
      String other = forApp(namespace + "_" + app);
      if (Files.exists(appDir.resolve(other))) {
        String shown = repoRoot.relativize(appDir).resolve(other).toString();
        throw new RenderException(
            shown
                + ": Argo CD reads this override file for an Application outside its own namespace"
                + " and "
                + forApp(app)
                + " for one inside it; Glidepath reads only the latter and does not know Argo CD's"
                + " namespace: rename the file",
            shown,
            null);
      }
    }
    for (String name : List.of(COMMON, forApp(app))) {
      Path file = appDir.resolve(name);
      if (!Files.exists(file) || Files.isDirectory(file)) {
        continue;
      }
      String shown = repoRoot.relativize(appDir).resolve(name).toString();
      Path real = RepositoryPaths.of(repoRoot).resolve(appDir, name, "parameter override file");
      JsonNode patch;
      try {
        patch = Yaml.readTree(Files.readString(real), shown);
      } catch (IOException e) {
        throw new RenderException("cannot read " + shown + ": " + e.getMessage(), shown, e);
      }
      if (patch == null || patch.isNull() || patch.isMissingNode()) {
        continue; // empty: Argo CD's merge of a null patch changes nothing
      }
      if (!patch.isObject()) {
        throw new RenderException(
            shown + ": a parameter override file must be a mapping of source fields", shown, null);
      }
      if (merged == null) {
        merged = source.toJson();
      }
      merged = (ObjectNode) JsonMergePatch.apply(merged, canonical(patch, ""));
      last = shown;
    }
    if (merged == null) {
      return source;
    }
    ObjectNode original = source.toJson();
    for (String field : KEPT) {
      merged.remove(field);
      if (original.has(field)) {
        merged.set(field, original.get(field));
      }
    }
    return ApplicationReader.readSource(merged, Origin.of(last), where, multi);
  }

  /** {@code node} with the source's field names at {@code level} spelled as Argo CD's JSON. */
  private static JsonNode canonical(JsonNode node, String level) {
    List<String> fields = FIELDS.get(level);
    if (fields == null) {
      return node;
    }
    if (node.isArray()) {
      var out = Yaml.mapper().createArrayNode();
      node.forEach(item -> out.add(canonical(item, level)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = Yaml.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      for (String f : fields) {
        if (f.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
          key = f;
          break;
        }
      }
      String inner = level.isEmpty() ? key : level + "." + key;
      out.set(key, canonical(e.getValue(), inner));
    }
    return out;
  }
}
