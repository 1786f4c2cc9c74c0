package io.glidepath.kustomize.internal;

import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The top kustomization's {@code buildMetadata} (kustomize applies it to every layer): {@code
 * originAnnotations} records where each object came from ({@code config.kubernetes.io/origin}),
 * {@code transformerAnnotations} the built-in transformers each layer ran over it ({@code
 * alpha.config.kubernetes.io/transformations}), {@code managedByLabel} adds {@code
 * app.kubernetes.io/managed-by}.
 */
final class BuildMetadata {
  static final String ORIGIN = "config.kubernetes.io/origin";
  static final String TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The managed-by value of the kustomize version Glidepath follows (standalone kustomize's). */
  static final String MANAGED_BY_VALUE = "kustomize-v5.5.0";

  final boolean origin;
  final boolean transformations;
  final boolean managedBy;
  private final Path topDir;

  private BuildMetadata(boolean origin, boolean transformations, boolean managedBy, Path topDir) {
    this.origin = origin;
    this.transformations = transformations;
    this.managedBy = managedBy;
    this.topDir = topDir;
  }

  static BuildMetadata of(Kust top, boolean managedByOption, java.util.List<String> warnings) {
    boolean origin = false;
    boolean transformations = false;
    boolean managedBy = managedByOption;
    int i = 0;
    for (String option : top.strings(top.doc.get("buildMetadata"), "buildMetadata")) {
      switch (option) {
        case "originAnnotations" -> origin = true;
        case "transformerAnnotations" -> transformations = true;
        case "managedByLabel" -> managedBy = true;
        default ->
            // kustomize ignores options it does not know; say so instead of dropping it silently
            warnings.add(
                top.file
                    + ": buildMetadata["
                    + i
                    + "]: \""
                    + option
                    + "\" is not a kustomize build metadata option (originAnnotations,"
                    + " transformerAnnotations, managedByLabel) and was ignored, as kustomize"
                    + " ignores it");
      }
      i++;
    }
    return new BuildMetadata(origin, transformations, managedBy, top.dir);
  }

  /**
   * Notes that the built-in transformer {@code kind} configured in {@code k} ran over {@code ra}.
   */
  void ran(Kust k, String kind, List<Res> ra) {
    if (!transformations) {
      return;
    }
    String entry =
        "- configuredIn: "
            + relative(k.dir.resolve(Path.of(k.file).getFileName().toString()))
            + "\n  configuredBy:\n    apiVersion: builtin\n    kind: "
            + kind
            + "\n";
    for (Res r : ra) {
      r.transformations.add(entry);
    }
  }

  void ran(Kust k, String kind, int times, List<Res> ra) {
    for (int i = 0; i < times; i++) {
      ran(k, kind, ra);
    }
  }

  /** Adds the annotations and label to one finished object. */
  void finish(Res r) {
    ObjectNode meta = r.body.withObjectProperty("metadata");
    if (origin) {
      String value;
      if (r.generatedBy != null) {
        value =
            "configuredIn: "
                + relative(r.source)
                + "\nconfiguredBy:\n  apiVersion: builtin\n  kind: "
                + r.generatedBy
                + "\n";
      } else {
        value = r.source == null ? null : "path: " + relative(r.source) + "\n";
      }
      if (value != null) {
        meta.withObjectProperty("annotations").put(ORIGIN, value);
      }
    }
    if (transformations && !r.transformations.isEmpty()) {
      meta.withObjectProperty("annotations")
          .put(TRANSFORMATIONS, String.join("", r.transformations));
    }
    if (managedBy) {
      meta.withObjectProperty("labels").put(MANAGED_BY, MANAGED_BY_VALUE);
    }
  }

  private String relative(Path p) {
    Path top = topDir.toAbsolutePath().normalize();
    return top.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }
}
