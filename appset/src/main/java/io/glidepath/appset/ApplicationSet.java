package io.glidepath.appset;

import io.glidepath.appset.internal.AppSetReader;
import io.glidepath.appset.internal.Strict;
import io.glidepath.core.Origin;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An Argo CD {@code ApplicationSet} ({@code argoproj.io/v1alpha1}), read unchanged and strictly:
 * every field is either honoured or refused when loading with an {@link ApplicationSetException}
 * naming file, line and field.
 *
 * <pre>{@code
 * ApplicationSet set = ApplicationSet.read(Path.of("trade-service-appset.yaml"));
 * List<Resource> apps = ApplicationSetGenerator.of(context).generate(set).applications();
 * }</pre>
 *
 * <p>Honoured: generators {@code list} ({@code elements}, {@code elementsYaml}), {@code clusters}
 * ({@code selector}, {@code values}), {@code git} (directories with {@code exclude}, files with
 * globs, {@code pathParamPrefix}, {@code values}, {@code requeueAfterSeconds}), {@code matrix},
 * {@code merge} ({@code mergeKeys}), a generator's {@code selector} (nested ones too, as Argo CD 3
 * applies them) and {@code template}; {@code template}, {@code templatePatch}, {@code goTemplate},
 * {@code goTemplateOptions}, {@code syncPolicy} ({@code applicationsSync}, {@code
 * preserveResourcesOnDeletion}), {@code strategy} ({@code AllAtOnce}, {@code RollingSync} with
 * steps and {@code maxUpdate}, and Glidepath's extension {@code analysis} on a step, see {@link
 * ApplicationSetController}), {@code preservedFields}. Refused: the {@code scmProvider}, {@code
 * pullRequest}, {@code plugin} and {@code clusterDecisionResource} generators, {@code
 * ignoreApplicationDifferences}, {@code deletionOrder: Reverse}, and in a step's {@code analysis}
 * the Argo Rollouts fields that have no meaning here ({@code valueFrom}, {@code dryRun}, {@code
 * measurementRetention}, {@code analysisRunMetadata}).
 *
 * <p>Immutable; the JSON trees it hands out must not be modified.
 *
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace} ({@code ""} when unset): where the Applications go
 * @param uid {@code metadata.uid} when read from a cluster ({@code ""} otherwise)
 * @param labels {@code metadata.labels}
 * @param annotations {@code metadata.annotations}
 * @param spec {@code spec}, checked
 * @param origin where it was read
 */
public record ApplicationSet(
    String name,
    String namespace,
    String uid,
    Map<String, String> labels,
    Map<String, String> annotations,
    JsonNode spec,
    Origin origin) {
  public ApplicationSet {
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
    uid = uid == null ? "" : uid;
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(origin, "origin");
  }

  /** Reads an ApplicationSet file. */
  public static ApplicationSet read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return parse(text, file.toString());
  }

  /** Reads ApplicationSet YAML; {@code source} names it in errors. */
  public static ApplicationSet parse(String yaml, String source) {
    Origin origin = Origin.of(source);
    JsonNode tree = Yaml.readTree(yaml, source);
    return AppSetReader.read(tree, Strict.of(yaml, origin));
  }

  /** An ApplicationSet object read from a cluster (what the controller sees). */
  public static ApplicationSet fromObject(JsonNode object, String source) {
    return AppSetReader.read(object, new Strict(Origin.of(source), Map.of()));
  }

  /** {@code spec.goTemplate}. */
  public boolean goTemplate() {
    return spec.path("goTemplate").asBoolean(false);
  }

  /** {@code spec.goTemplateOptions}. */
  public List<String> goTemplateOptions() {
    return AppSetReader.strings(spec.path("goTemplateOptions"));
  }

  /** {@code spec.syncPolicy.applicationsSync} (default {@code sync}). */
  public ApplicationsSync applicationsSync() {
    return ApplicationsSync.of(spec.path("syncPolicy").path("applicationsSync").asString("sync"))
        .orElse(ApplicationsSync.SYNC);
  }

  /** {@code spec.syncPolicy.preserveResourcesOnDeletion}. */
  public boolean preserveResourcesOnDeletion() {
    return spec.path("syncPolicy").path("preserveResourcesOnDeletion").asBoolean(false);
  }

  /** {@code spec.templatePatch}. */
  public Optional<String> templatePatch() {
    JsonNode p = spec.path("templatePatch");
    return p.isString() ? Optional.of(p.asString()) : Optional.empty();
  }

  /** {@code spec.preservedFields.annotations}. */
  public List<String> preservedAnnotations() {
    return AppSetReader.strings(spec.path("preservedFields").path("annotations"));
  }

  /** {@code spec.preservedFields.labels}. */
  public List<String> preservedLabels() {
    return AppSetReader.strings(spec.path("preservedFields").path("labels"));
  }

  /** Whether {@code spec.strategy.type} is {@code RollingSync} with at least one step. */
  public boolean rollingSync() {
    return spec.path("strategy").path("type").asString("").equals("RollingSync")
        && spec.path("strategy").path("rollingSync").path("steps").size() > 0;
  }
}
