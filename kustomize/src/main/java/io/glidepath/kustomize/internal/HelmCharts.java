package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.values.Values;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code helmCharts} and {@code helmGlobals}, kustomize's HelmChartInflationGenerator: each local
 * chart ({@code <chartHome>/<name>}, {@code chartHome} defaulting to {@code charts}) is rendered by
 * whatever Helm renderer {@link ManifestRenderer#detect} finds, the embedded Helm engine of {@code
 * glidepath-helm} when it is on the class path; this module never depends on it. Needs the {@code
 * --enable-helm} build option, like kustomize. A chart from a repository ({@code repo}) is refused
 * until charts can be fetched.
 */
final class HelmCharts {
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "version",
          "repo",
          "releaseName",
          "namespace",
          "valuesFile",
          "additionalValuesFiles",
          "valuesInline",
          "valuesMerge",
          "includeCRDs",
          "skipTests",
          "kubeVersion",
          "apiVersions",
          "skipHooks",
          "nameTemplate");

  private final FileAccess files;
  private final boolean enabled;

  HelmCharts(FileAccess files, boolean enabled) {
    this.files = files;
    this.enabled = enabled;
  }

  void run(Kust k, List<Res> ra) {
    List<JsonNode> charts = new ArrayList<>(k.list("helmCharts"));
    charts.addAll(k.list("helmChartInflationGenerator"));
    if (charts.isEmpty()) {
      return;
    }
    if (!enabled) {
      throw k.error(
          "helmCharts",
          Problem.UNSUPPORTED_FIELD,
          "must specify --enable-helm (KustomizeOptions.BuildOptions.enableHelm) to inflate charts",
          null);
    }
    JsonNode globals = k.doc.path("helmGlobals");
    String chartHome = k.str(globals, "chartHome", "helmGlobals.chartHome");
    if (chartHome.isEmpty()) {
      chartHome = "charts";
    }
    int i = 0;
    for (JsonNode c : charts) {
      String entry = "helmCharts[" + i++ + "]";
      for (String f : c.propertyNames()) {
        if (!FIELDS.contains(f)) {
          throw k.error(entry + "." + f, Problem.UNKNOWN_FIELD, "unknown helmCharts field", null);
        }
      }
      String name = k.str(c, "name", entry + ".name");
      if (name.isEmpty()) {
        throw k.error(entry + ".name", Problem.INVALID_VALUE, "is required", null);
      }
      if (!k.str(c, "repo", entry + ".repo").isEmpty()) {
        throw k.error(
            entry + ".repo",
            Problem.UNSUPPORTED_FIELD,
            "chart \""
                + name
                + "\" comes from a repository; Glidepath inflates local charts"
                + " only (put it under "
                + chartHome
                + "/"
                + name
                + ")",
            null);
      }
      for (String f : List.of("nameTemplate", "skipHooks")) {
        if (c.has(f)) {
          throw k.error(
              entry + "." + f, Problem.UNSUPPORTED_FIELD, "is not rendered by Glidepath", null);
        }
      }
      Path chart = files.resolve(k, entry + ".name", chartHome + "/" + name, false);
      if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
        throw k.error(entry, Problem.MISSING_FILE, "no chart at " + chartHome + "/" + name, null);
      }
      ManifestRenderer renderer = ManifestRenderer.detect(chart);
      if (!renderer.name().equals("helm")) {
        throw k.error(
            entry,
            Problem.UNSUPPORTED_FIELD,
            "no Helm renderer on the class path (add io.glidepath:glidepath-helm)",
            null);
      }
      RepositoryPaths chartRepo = files.pathsFor(chart);
      RenderRequest.Builder b = RenderRequest.builder(chartRepo.root(), chartRepo.relative(chart));
      String merge = k.str(c, "valuesMerge", entry + ".valuesMerge");
      if (!merge.isEmpty() && !merge.equals("override") && !merge.equals("replace")) {
        throw k.error(
            entry + ".valuesMerge",
            Problem.UNSUPPORTED_FIELD,
            "only override (the default) and replace are rendered, not " + merge,
            null);
      }
      List<String> valueFiles = new ArrayList<>();
      String valuesFile = k.str(c, "valuesFile", entry + ".valuesFile");
      if (!valuesFile.isEmpty() && !merge.equals("replace")) {
        valueFiles.add(valueFile(k, entry + ".valuesFile", valuesFile, chart));
      }
      for (String f : k.strings(c.get("additionalValuesFiles"), entry + ".additionalValuesFiles")) {
        valueFiles.add(valueFile(k, entry + ".additionalValuesFiles", f, chart));
      }
      b.valueFiles(valueFiles);
      JsonNode inline = c.get("valuesInline");
      if (inline != null && inline.isObject()) {
        b.inlineValues(Values.of(inline));
      }
      String release = k.str(c, "releaseName", entry + ".releaseName");
      b.releaseName(release.isEmpty() ? "release-name" : release);
      String ns = k.str(c, "namespace", entry + ".namespace");
      if (!ns.isEmpty()) {
        b.namespace(ns);
      }
      String kubeVersion = k.str(c, "kubeVersion", entry + ".kubeVersion");
      if (!kubeVersion.isEmpty()) {
        b.kubeVersion(kubeVersion);
      }
      b.apiVersions(k.strings(c.get("apiVersions"), entry + ".apiVersions"));
      b.skipCrds(!k.bool(c, "includeCRDs", entry + ".includeCRDs"));
      RenderResult result;
      try {
        result = renderer.render(b.build());
      } catch (GlidepathException e) {
        throw k.error(entry, Problem.INVALID_VALUE, "chart \"" + name + "\": " + e.getMessage(), e);
      }
      List<Res> added = new ArrayList<>();
      for (Resource r : result.resources()) {
        Res res = new Res((ObjectNode) r.body().deepCopy(), r.origin());
        res.source = k.dir.resolve(Path.of(k.file).getFileName().toString());
        res.generatedBy = "HelmChartInflationGenerator";
        added.add(res);
      }
      KustTarget.append(k, entry, ra, added);
    }
  }

  private String valueFile(Kust k, String entry, String value, Path chart) {
    Path p = files.resolveFile(k, entry, value);
    return chart.toAbsolutePath().normalize().relativize(p).toString().replace('\\', '/');
  }
}
