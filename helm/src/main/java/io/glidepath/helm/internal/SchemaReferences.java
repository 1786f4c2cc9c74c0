package io.glidepath.helm.internal;

import io.glidepath.core.Redaction;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.helm.SchemaReferenceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;

/**
 * Checks, before Helm reads a chart, that none of its {@code values.schema.json} files (the
 * chart's, its unpacked subcharts' and those inside packaged subcharts {@code charts/*.tgz}) refers
 * to anything outside itself.
 *
 * <p>Helm compiles a schema with a loader that follows {@code $ref} to {@code file://} paths
 * (relative references resolve against the file system root) and to {@code http(s)://} URLs. So
 * only references inside the same document are allowed: a fragment ({@code #/$defs/port}, {@code
 * #anchor}), or a URI equal to an {@code $id} the document itself declares. {@code $schema} must
 * name one of the JSON Schema drafts Helm has built in. The values of {@code enum}, {@code const},
 * {@code default} and {@code examples} are data and are not read.
 */
public final class SchemaReferences {
  static final String SCHEMA = "values.schema.json";

  private static final long MAX_ARCHIVE_BYTES = 64L * 1024 * 1024;

  private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");
  private static final Set<String> DATA = Set.of("enum", "const", "default", "examples");
  private static final Set<String> DRAFTS =
      Set.of(
          "json-schema.org/draft-04/schema",
          "json-schema.org/draft-06/schema",
          "json-schema.org/draft-07/schema",
          "json-schema.org/draft/2019-09/schema",
          "json-schema.org/draft/2020-12/schema");

  private SchemaReferences() {}

  /**
   * Checks every schema of the chart at {@code chart}; with {@code looseSchemas} false only those
   * inside packaged subcharts (a render that skips schema validation removes the others).
   *
   * @throws SchemaReferenceException naming the schema and the first reference that leaves it
   */
  public static void check(RepositoryPaths paths, Path chart, boolean looseSchemas) {
    check(chart, paths::relative, looseSchemas);
  }

  /**
   * Checks every schema of the chart directory {@code chart} (a render copy, say, with fetched
   * dependencies), naming each file by {@code names}; with {@code looseSchemas} false only those
   * inside packaged subcharts.
   *
   * @throws SchemaReferenceException naming the schema and the first reference that leaves it
   */
  public static void check(Path chart, Function<Path, String> names, boolean looseSchemas) {
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String name = file.getFileName().toString();
        String rel = names.apply(file);
        if (name.equals(SCHEMA)) {
          if (looseSchemas) {
            checkSchema(Files.readAllBytes(file), rel);
          }
        } else if (isArchive(name) && isInChartsDir(file)) {
          try (InputStream in = Files.newInputStream(file)) {
            checkArchive(in, rel, 0);
          }
        }
      }
    } catch (IOException e) {
      throw new RenderException(
          "cannot read chart " + names.apply(chart) + ": " + e.getMessage(), null, e);
    }
  }

  private static boolean isArchive(String name) {
    return name.endsWith(".tgz") || name.endsWith(".tar.gz");
  }

  private static boolean isInChartsDir(Path file) {
    Path parent = file.getParent();
    return parent != null && parent.getFileName().toString().equals("charts");
  }

  /** The schemas inside a packaged chart, and inside the packaged charts it holds. */
  private static void checkArchive(InputStream in, String name, int nesting) throws IOException {
    if (nesting > 5) {
      throw new RenderException(
          "chart archive " + name + " nests packaged charts more than 5 deep", name, null);
    }
    long[] budget = {MAX_ARCHIVE_BYTES};
    try (GZIPInputStream gz = new GZIPInputStream(in)) {
      Tar.forEach(
          gz,
          budget,
          name,
          (entry, content) -> {
            String base = entry.substring(entry.lastIndexOf('/') + 1);
            String where = name + "!/" + entry;
            if (base.equals(SCHEMA)) {
              checkSchema(content, where);
            } else if (isArchive(base) && entry.contains("/charts/")) {
              checkArchive(new ByteArrayInputStream(content), where, nesting + 1);
            }
          },
          entry -> {
            String base = entry.substring(entry.lastIndexOf('/') + 1);
            return base.equals(SCHEMA) || (isArchive(base) && entry.contains("/charts/"));
          });
    } catch (java.util.zip.ZipException e) {
      throw new RenderException(
          "chart archive " + name + " is not a gzip-compressed tar file: " + e.getMessage(),
          name,
          e);
    }
  }

  /** Checks one schema document. */
  static void checkSchema(byte[] content, String schema) {
    JsonNode tree;
    try {
      tree = Yaml.mapper().readTree(new String(content, StandardCharsets.UTF_8));
    } catch (StreamConstraintsException e) {
      // Jackson's bounds (nesting depth, number and string length) are checked while parsing
      throw new RenderException(
          "values.schema.json " + schema + " is too large to check: " + e.getOriginalMessage(),
          schema,
          null);
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      throw new RenderException(
          "values.schema.json "
              + schema
              + " is not valid JSON"
              + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ")"),
          schema,
          null);
    }
    Set<String> ids = new HashSet<>();
    collectIds(tree, ids);
    walk(tree, "", schema, ids);
  }

  private static void collectIds(JsonNode node, Set<String> ids) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if ((e.getKey().equals("$id") || e.getKey().equals("id")) && e.getValue().isString()) {
          ids.add(withoutFragment(e.getValue().stringValue()));
        }
        if (!DATA.contains(e.getKey())) {
          collectIds(e.getValue(), ids);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectIds(n, ids));
    }
  }

  private static void walk(JsonNode node, String pointer, String schema, Set<String> ids) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        JsonNode value = e.getValue();
        String at = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
        if (REFERENCES.contains(key) && value.isString()) {
          String ref = value.stringValue();
          if (!ref.startsWith("#") && !ids.contains(withoutFragment(ref))) {
            throw new SchemaReferenceException(
                schema,
                Redaction.url(ref),
                at,
                "a chart's schema may refer only to itself (\"#...\" or an $id it declares);"
                    + " Glidepath does not let Helm read schema files or fetch URLs");
          }
        } else if (key.equals("$schema") && value.isString() && !isDraft(value.stringValue())) {
          throw new SchemaReferenceException(
              schema,
              Redaction.url(value.stringValue()),
              at,
              "$schema must name a JSON Schema draft Helm has built in (draft-04, -06, -07,"
                  + " 2019-09, 2020-12); another would be fetched");
        } else if (!DATA.contains(key)) {
          walk(value, at, schema, ids);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), pointer + "/" + i, schema, ids);
      }
    }
  }

  private static boolean isDraft(String uri) {
    String u = withoutFragment(uri);
    for (String scheme : List.of("http://", "https://")) {
      if (u.startsWith(scheme)) {
        String rest = u.substring(scheme.length());
        return DRAFTS.contains(rest) || DRAFTS.contains(rest.replaceAll("\\.json$", ""));
      }
    }
    return false;
  }

  private static String withoutFragment(String uri) {
    int hash = uri.indexOf('#');
    return hash < 0 ? uri : uri.substring(0, hash);
  }
}
