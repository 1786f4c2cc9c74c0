package io.glidepath.core.render;

import io.glidepath.core.Utf8;
import io.glidepath.core.internal.glob.PathGlob;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Renders a plain directory: every {@code *.yaml}, {@code *.yml} and {@code *.json} file, sorted by
 * path, each document one resource ({@code kind: List} expanded). Like Argo CD's directory source:
 * subdirectories only with {@code recurse}, {@code include}/{@code exclude} globs matched against
 * the path relative to the app directory ({@code *.yaml}, {@code {a,b}.yaml}), files and
 * directories whose name starts with a dot skipped, symlinks followed only while they stay inside
 * the repository.
 */
final class DirectoryRenderer implements ManifestRenderer {
  static final DirectoryRenderer INSTANCE = new DirectoryRenderer();

  private DirectoryRenderer() {}

  @Override
  public String name() {
    return "directory";
  }

  @Override
  public RenderResult render(RenderRequest request) {
    RepositoryPaths paths = request.paths();
    Path appDir = request.appDir();
    if (!request.valueFiles().isEmpty() || !request.parameters().isEmpty()) {
      throw new RenderException(
          request.appPath()
              + " is a plain directory: only Helm charts take value files and parameters");
    }
    if (!Files.isDirectory(appDir)) {
      throw new RenderException("application path " + request.appPath() + " is not a directory");
    }
    Predicate<Path> include = request.include().map(DirectoryRenderer::glob).orElse(null);
    Predicate<Path> exclude = request.exclude().map(DirectoryRenderer::glob).orElse(null);
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          appDir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (dir.equals(appDir)) {
                return FileVisitResult.CONTINUE;
              }
              if (!request.recurse() || dir.getFileName().toString().startsWith(".")) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String name = file.getFileName().toString();
              String lower = name.toLowerCase(Locale.ROOT);
              if (name.startsWith(".")
                  || !(lower.endsWith(".yaml")
                      || lower.endsWith(".yml")
                      || lower.endsWith(".json"))) {
                return FileVisitResult.CONTINUE;
              }
              Path rel = appDir.relativize(file);
              if (include != null && !include.test(rel)) {
                return FileVisitResult.CONTINUE;
              }
              if (exclude != null && exclude.test(rel)) {
                return FileVisitResult.CONTINUE;
              }
              files.add(file);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new RenderException(
          "cannot list " + request.appPath() + ": " + e.getMessage(), request.appPath(), e);
    }
    files.sort((a, b) -> a.toString().compareTo(b.toString()));
    List<Resource> resources = new ArrayList<>();
    for (Path file : files) {
      String rel = paths.relative(file);
      Path real = paths.checkReal(file, rel, "manifest file");
      if (!Files.isRegularFile(real)) {
        continue;
      }
      resources.addAll(Yaml.readResources(readFile(real, rel), rel));
    }
    return new RenderResult(ResourceSet.of(resources), name(), List.of());
  }

  private static String readFile(Path real, String rel) {
    try {
      long size = Files.size(real);
      long max = Yaml.reader().limits().maxBytes();
      if (size > max) {
        throw new RenderException(
            rel + " is " + size + " bytes, more than the limit of " + max, rel, null);
      }
      return Utf8.read(real, rel);
    } catch (IOException e) {
      throw new RenderException("cannot read " + rel + ": " + e.getMessage(), rel, e);
    }
  }

  private static Predicate<Path> glob(String pattern) {
    PathGlob m = PathGlob.of(pattern);
    // Argo CD matches a bare pattern such as "*.yaml" against the file name in any directory.
    if (!pattern.contains("/")) {
      return p -> m.matches(slashed(p)) || m.matches(p.getFileName().toString());
    }
    return p -> m.matches(slashed(p));
  }

  private static String slashed(Path relative) {
    return relative.toString().replace('\\', '/');
  }
}
