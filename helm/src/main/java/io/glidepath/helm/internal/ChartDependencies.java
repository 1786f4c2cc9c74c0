package io.glidepath.helm.internal;

import io.glidepath.core.render.ChartRequest;
import io.glidepath.core.render.ChartSource;
import io.glidepath.core.render.FetchedChart;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.helm.repo.ChartSourceException;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * {@code helm dependency build}, as Argo CD runs it before templating a chart with dependencies:
 * every dependency of {@code Chart.yaml} (or a Helm 2 chart's {@code requirements.yaml}) that is
 * not vendored in {@code charts/} is fetched into the render copy's {@code charts/}, at the version
 * {@code Chart.lock} pins (or the highest one satisfying the constraint when there is no lock).
 * {@code condition}, {@code tags}, {@code alias} and {@code import-values} are then applied by Helm
 * itself when it renders.
 *
 * <p>Repositories: {@code https://}/{@code http://} Helm repositories and {@code oci://} registries
 * through the request's {@link ChartSource}; {@code @name} and {@code alias:name} through the
 * repository named so in the credential store; {@code file://path}, relative to the chart, inside
 * the repository only. A dependency without a repository must be vendored.
 */
public final class ChartDependencies {
  private static final int MAX_DEPTH = 10;

  private ChartDependencies() {}

  /** One declared dependency. */
  record Dependency(String name, String version, String repository) {}

  /**
   * Whether every declared dependency of {@code chart} appears vendored (a directory under {@code
   * charts/} of that chart's name, or an archive {@code charts/<name>-*.tgz}).
   */
  public static boolean vendored(Path chart, String app) {
    List<Dependency> deps = declared(chart, app);
    if (deps.isEmpty()) {
      return true;
    }
    Set<String> names = present(chart, true);
    for (Dependency d : deps) {
      if (!names.contains(d.name())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fetches the dependencies {@code copy} (a writable copy of the chart at {@code original}, with
   * packed subcharts unpacked) lacks, then theirs, into its {@code charts/}.
   *
   * @param paths the repository the original chart lives in, for {@code file://} dependencies;
   *     empty for a chart fetched from a repository
   */
  public static void build(
      Path copy,
      Optional<Path> original,
      Optional<RepositoryPaths> paths,
      ChartSource charts,
      String app) {
    build(copy, original, paths, charts, app, 0);
  }

  private static void build(
      Path copy,
      Optional<Path> original,
      Optional<RepositoryPaths> paths,
      ChartSource charts,
      String app,
      int depth) {
    if (depth > MAX_DEPTH) {
      throw new RenderException(
          "chart " + app + ": dependencies nest deeper than " + MAX_DEPTH + " levels", app, null);
    }
    List<Dependency> deps = pinned(copy, app);
    Set<String> names = present(copy, false);
    Map<String, Dependency> missing = new LinkedHashMap<>();
    for (Dependency d : deps) {
      if (!names.contains(d.name())) {
        missing.putIfAbsent(d.name() + " " + d.version() + " " + d.repository(), d);
      }
    }
    for (Dependency d : missing.values()) {
      String what = "chart " + app + ": dependency " + d.name();
      Path target = copy.resolve("charts").resolve(d.name() + "-" + safe(d.version()));
      String repo = d.repository().strip();
      try {
        if (repo.isEmpty()) {
          throw new RenderException(
              what + " has no repository and is not in charts/ (vendor it, or name its repository)",
              app + "/Chart.yaml",
              null);
        }
        if (repo.startsWith("file://")) {
          if (original.isEmpty() || paths.isEmpty()) {
            throw new RenderException(
                what + " is " + repo + ", which a chart from a repository cannot reach",
                app + "/Chart.yaml",
                null);
          }
          RepositoryPaths p = paths.get();
          Path base = p.root().relativize(original.get());
          Path dir = p.resolve(base, repo.substring("file://".length()), "dependency " + d.name());
          if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new RenderException(
                what + " is " + repo + ", which holds no Chart.yaml", app + "/Chart.yaml", null);
          }
          try (Stream<Path> files = Files.walk(dir)) {
            files
                .filter(Files::isSymbolicLink)
                .forEach(link -> p.checkReal(link, p.relative(link), "chart file"));
          }
          copyTree(dir, target);
          build(target, Optional.of(dir), paths, charts, app + "/charts/" + d.name(), depth + 1);
        } else {
          FetchedChart f = charts.fetch(new ChartRequest(repo, d.name(), d.version(), false));
          copyTree(f.dir(), target);
          build(
              target,
              Optional.empty(),
              Optional.empty(),
              charts,
              app + "/charts/" + d.name(),
              depth + 1);
        }
      } catch (IOException e) {
        throw new RenderException(
            what + " cannot be placed in charts/: " + e.getMessage(), app + "/Chart.yaml", e);
      } catch (ChartSourceException e) {
        throw e;
      } catch (RenderException e) {
        if (e.getMessage().startsWith("chart " + app)) {
          throw e;
        }
        throw new RenderException(what + ": " + e.getMessage(), app + "/Chart.yaml", e);
      }
    }
  }

  /** The declared dependencies, at the versions Chart.lock pins when there is one. */
  private static List<Dependency> pinned(Path chart, String app) {
    List<Dependency> deps = declared(chart, app);
    Path lockFile = chart.resolve("Chart.lock");
    if (!Files.isRegularFile(lockFile)) {
      lockFile = chart.resolve("requirements.lock");
    }
    if (deps.isEmpty() || !Files.isRegularFile(lockFile)) {
      return deps;
    }
    String lockName = lockFile.getFileName().toString();
    JsonNode lock = tree(lockFile, app + "/" + lockName);
    Map<String, Dependency> locked = new LinkedHashMap<>();
    for (JsonNode d : lock.path("dependencies")) {
      locked.put(
          d.path("name").asString("") + "\n" + d.path("repository").asString(""),
          new Dependency(
              d.path("name").asString(""),
              d.path("version").asString(""),
              d.path("repository").asString("")));
    }
    List<Dependency> out = new ArrayList<>();
    for (Dependency d : deps) {
      Dependency l = locked.get(d.name() + "\n" + d.repository());
      if (l == null) {
        // helm dependency build refuses a lock that does not match the dependencies
        throw new RenderException(
            "chart "
                + app
                + ": "
                + lockName
                + " is out of sync with the dependencies (it does not lock "
                + d.name()
                + " from "
                + (d.repository().isEmpty() ? "charts/" : d.repository())
                + "); run helm dependency update",
            app + "/" + lockName,
            null);
      }
      out.add(new Dependency(d.name(), l.version(), d.repository()));
    }
    return out;
  }

  private static List<Dependency> declared(Path chart, String app) {
    Path file = chart.resolve("Chart.yaml");
    JsonNode meta = tree(file, app + "/Chart.yaml");
    JsonNode deps = meta.path("dependencies");
    if ((deps.isMissingNode() || deps.isNull())
        && Files.isRegularFile(chart.resolve("requirements.yaml"))) {
      deps =
          tree(chart.resolve("requirements.yaml"), app + "/requirements.yaml").path("dependencies");
    }
    List<Dependency> out = new ArrayList<>();
    if (deps.isMissingNode() || deps.isNull()) {
      return out;
    }
    if (!deps.isArray()) {
      throw new RenderException(
          "chart " + app + ": dependencies must be a list", app + "/Chart.yaml", null);
    }
    for (JsonNode d : deps) {
      String name = d.path("name").asString("");
      if (name.isBlank()) {
        throw new RenderException(
            "chart " + app + ": a dependency has no name", app + "/Chart.yaml", null);
      }
      out.add(
          new Dependency(name, d.path("version").asString(""), d.path("repository").asString("")));
    }
    return out;
  }

  private static JsonNode tree(Path file, String rel) {
    try {
      JsonNode t = Yaml.readTree(file);
      return t == null ? Yaml.mapper().createObjectNode() : t;
    } catch (YamlException e) {
      throw new RenderException(rel + " is not valid YAML: " + e.problem(), rel, e);
    }
  }

  /**
   * Names of the subcharts in {@code charts/}; archives by file name when {@code guessArchives}.
   */
  private static Set<String> present(Path chart, boolean guessArchives) {
    Set<String> names = new HashSet<>();
    Path charts = chart.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return names;
    }
    try (Stream<Path> list = Files.list(charts)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        String file = p.getFileName().toString();
        if (Files.isRegularFile(p.resolve("Chart.yaml"))) {
          names.add(
              tree(p.resolve("Chart.yaml"), file + "/Chart.yaml").path("name").asString(file));
        } else if (guessArchives && file.endsWith(".tgz")) {
          // name-version.tgz: every prefix before a '-' could be the name
          String stem = file.substring(0, file.length() - 4);
          for (int i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
            names.add(stem.substring(0, i));
          }
        }
      }
    } catch (IOException e) {
      throw new RenderException("cannot list " + charts + ": " + e.getMessage(), null, e);
    }
    return names;
  }

  private static String safe(String version) {
    String v = version.replaceAll("[^A-Za-z0-9._-]", "_");
    return v.isEmpty() ? "any" : v;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.createDirectories(t.getParent());
          Files.copy(f, t);
        }
      }
    }
  }
}
