package io.glidepath.helm.internal;

import io.glidepath.core.render.ChartSource;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart directory Helm renders: the chart itself, or a private copy of it when the render needs
 * one.
 *
 * <p><b>Hooks.</b> The embedded Helm (helm-java) returns only the release manifest, which leaves
 * out every hook ({@code helm.sh/hook}); {@code helm template} prints hooks too, and Argo CD syncs
 * them. So when the chart or the values mention {@code helm.sh/hook}, the copy's templates and
 * {@code values.yaml} files, and the values, spell it with a marker of the same length that Helm
 * does not know, Helm renders the hooks as ordinary manifests, and {@link #restore(String)} puts
 * {@code helm.sh/hook} back into the output. The marker is chosen so that it appears nowhere in the
 * chart, which makes the rewrite exact on the text; only a template that hashes or encodes text
 * holding {@code helm.sh/hook} ({@code sha256sum}, {@code b64enc}) sees a different input than Helm
 * would.
 *
 * <p><b>Packed subcharts.</b> {@code charts/*.tgz} are unpacked in the copy (Helm reads both forms
 * alike), so their templates can be rewritten and their {@code crds/} read.
 *
 * <p><b>Schemas.</b> With {@code skipSchemaValidation} the copy holds no {@code values.schema.json}
 * (the embedded Helm has no switch to skip validation).
 */
public final class RenderCopy implements AutoCloseable {
  /** Helm's hook annotation prefix (also of hook-weight and hook-delete-policy). */
  static final String HOOK = "helm.sh/hook";

  private static final String SCHEMA = "values.schema.json";

  private final Path dir;
  private final boolean copied;
  private final String values;
  private final String marker;

  private RenderCopy(Path dir, boolean copied, String values, String marker) {
    this.dir = dir;
    this.copied = copied;
    this.values = values;
    this.marker = marker;
  }

  /**
   * The directory to render {@code chart} from with {@code valuesYaml}.
   *
   * @param app the chart's path in its repository, for errors
   * @param dropSchemas leave out {@code values.schema.json} files
   */
  public static RenderCopy of(
      Path chart,
      String app,
      boolean dropSchemas,
      String valuesYaml,
      ChartSource charts,
      Optional<RepositoryPaths> paths) {
    try {
      boolean packed = hasPackedSubcharts(chart);
      boolean deps = !ChartDependencies.vendored(chart, app);
      boolean hooks = packed || deps || valuesYaml.contains(HOOK) || mentions(chart, HOOK);
      boolean schemas = dropSchemas && hasFile(chart, SCHEMA);
      if (!hooks && !schemas) {
        return new RenderCopy(chart, false, valuesYaml, null);
      }
      Path copy = copy(chart, dropSchemas);
      try {
        if (packed) {
          unpackSubcharts(copy);
        }
        if (deps) {
          ChartDependencies.build(copy, Optional.of(chart), paths, charts, app);
          if (dropSchemas) {
            dropSchemas(copy);
          }
        }
        String marker = null;
        String values = valuesYaml;
        List<Path> rewritten = rewritable(copy);
        List<String> texts = new ArrayList<>();
        boolean any = values.contains(HOOK);
        for (Path file : rewritten) {
          String text = text(file);
          texts.add(text);
          any |= text != null && text.contains(HOOK);
        }
        if (any) {
          marker = marker(values, texts, chart);
          values = values.replace(HOOK, marker);
          for (int i = 0; i < rewritten.size(); i++) {
            String text = texts.get(i);
            if (text != null && text.contains(HOOK)) {
              Files.writeString(rewritten.get(i), text.replace(HOOK, marker));
            }
          }
        }
        return new RenderCopy(copy, true, values, marker);
      } catch (IOException | RuntimeException e) {
        delete(copy);
        throw e;
      }
    } catch (ChartArchive.ArchiveException e) {
      throw new RenderException(
          "chart " + app + " has a packed subchart that cannot be read: " + e.getMessage(), app, e);
    } catch (IOException e) {
      throw new RenderException(
          "cannot prepare chart " + app + " for rendering: " + e.getMessage(), app, e);
    }
  }

  private static void dropSchemas(Path copy) throws IOException {
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path f :
          (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals(SCHEMA))::iterator) {
        Files.delete(f);
      }
    }
  }

  /** The chart directory to render. */
  public Path dir() {
    return dir;
  }

  /** Whether {@link #dir()} is a private copy rather than the chart itself. */
  public boolean copied() {
    return copied;
  }

  /** The values text to render with. */
  public String values() {
    return values;
  }

  /** Helm's output with {@code helm.sh/hook} spelled as the chart spelled it. */
  public String restore(String output) {
    return marker == null ? output : output.replace(marker, HOOK);
  }

  /** Deletes the copy, if one was made. */
  @Override
  public void close() {
    if (copied) {
      delete(dir);
    }
  }

  private static boolean hasPackedSubcharts(Path chart) throws IOException {
    try (Stream<Path> files = Files.walk(chart)) {
      return files.anyMatch(
          p ->
              p.getFileName().toString().endsWith(".tgz")
                  && p.getParent() != null
                  && p.getParent().getFileName().toString().equals("charts"));
    }
  }

  private static boolean mentions(Path chart, String text) throws IOException {
    for (Path file : rewritable(chart)) {
      String content = text(file);
      if (content != null && content.contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** Template files and values.yaml files, of the chart and of every unpacked subchart. */
  private static List<Path> rewritable(Path chart) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(chart, FileVisitOption.FOLLOW_LINKS)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String rel = chart.relativize(file).toString().replace('\\', '/');
        String name = file.getFileName().toString();
        if (rel.startsWith("templates/")
            || rel.contains("/templates/")
            || name.equals("values.yaml")
            || name.equals("values.yml")) {
          out.add(file);
        }
      }
    }
    return out;
  }

  private static boolean hasFile(Path chart, String name) throws IOException {
    try (Stream<Path> files = Files.walk(chart)) {
      return files.anyMatch(f -> f.getFileName().toString().equals(name));
    }
  }

  /** The file as UTF-8 text, or null when it is not valid UTF-8 (left alone). */
  private static String text(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * A marker as long as {@code helm.sh/hook} (so that {@code len} and {@code trunc} see the same
   * length) that a valid annotation key may start with and that the chart never spells.
   */
  private static String marker(String values, List<String> texts, Path chart) throws IOException {
    List<String> all = new ArrayList<>(texts);
    all.add(values);
    try (Stream<Path> files = Files.walk(chart, FileVisitOption.FOLLOW_LINKS)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        all.add(text(f));
      }
    }
    for (int i = -1; i < 36; i++) {
      String candidate = i < 0 ? "glidepath/hk" : "glidepat" + Character.forDigit(i, 36) + "/hk";
      boolean free = true;
      for (String t : all) {
        if (t != null && t.contains(candidate)) {
          free = false;
          break;
        }
      }
      if (free) {
        return candidate;
      }
    }
    throw new IOException("the chart spells every hook marker Glidepath could use");
  }

  private static Path copy(Path chart, boolean dropSchemas) throws IOException {
    Path copy = PrivateFiles.newDirectory("glidepath-chart-");
    // symlinks were checked to stay in the repository; the copy holds what they point to
    try (Stream<Path> files = Files.walk(chart, FileVisitOption.FOLLOW_LINKS)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(chart.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (!(dropSchemas && file.getFileName().toString().equals(SCHEMA))) {
          Files.copy(file, target);
        }
      }
    } catch (IOException | RuntimeException e) {
      delete(copy);
      throw e;
    }
    return copy;
  }

  /** Unpacks every {@code charts/*.tgz} of the copy (at any depth) in place. */
  private static void unpackSubcharts(Path copy) throws IOException {
    List<Path> archives;
    try (Stream<Path> files = Files.walk(copy)) {
      archives =
          files
              .filter(
                  p ->
                      p.getFileName().toString().endsWith(".tgz")
                          && p.getParent().getFileName().toString().equals("charts"))
              .sorted(Comparator.comparingInt(Path::getNameCount))
              .toList();
    }
    for (Path archive : archives) {
      if (!Files.exists(archive)) {
        continue;
      }
      Path staging = archive.resolveSibling(".unpack-" + archive.getFileName());
      String name;
      try (InputStream in = Files.newInputStream(archive)) {
        name = ChartArchive.unpack(in, staging);
      } catch (ChartArchive.ArchiveException e) {
        throw new ChartArchive.ArchiveException(copy.relativize(archive) + ": " + e.getMessage());
      }
      Path dir = archive.resolveSibling(name);
      if (Files.exists(dir)) {
        throw new ChartArchive.ArchiveException(
            copy.relativize(archive) + " and " + copy.relativize(dir) + " hold the same subchart");
      }
      Files.move(staging, dir);
      Files.delete(archive);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
