package io.glidepath.core.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Overrides of a Kustomize application, like Argo CD's {@code spec.source.kustomize}: they change
 * the overlay as if {@code kustomize edit set ...} had been run on it before {@code kustomize
 * build}.
 *
 * <pre>{@code
 * KustomizeOptions o = KustomizeOptions.NONE.withImages(List.of("nginx=nginx:1.27"))
 *     .withNamePrefix("prod-");
 * }</pre>
 *
 * <ul>
 *   <li>{@code images}: {@code kustomize edit set image} entries: {@code name=newName:tag}, {@code
 *       name:tag}, {@code name@digest}, {@code name=newName}.
 *   <li>{@code namePrefix}/{@code nameSuffix}: {@code kustomize edit set nameprefix/namesuffix}.
 *   <li>{@code commonLabels}/{@code commonAnnotations}: added to the overlay's own ({@code
 *       kustomize edit add label/annotation}); a key the overlay already has is an error unless
 *       {@code forceCommonLabels}/{@code forceCommonAnnotations} (then the override wins), as in
 *       Argo CD.
 *   <li>{@code namespace}: {@code kustomize edit set namespace}.
 *   <li>{@code replicas}: {@code kustomize edit set replicas name=count}.
 *   <li>{@code version}: the kustomize binary Argo CD would pick; Glidepath has one built-in
 *       renderer, so it is kept but has no effect.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param images image overrides
 * @param namePrefix the name prefix ({@code ""} for none)
 * @param nameSuffix the name suffix ({@code ""} for none)
 * @param commonLabels labels added to every resource and selector
 * @param commonAnnotations annotations added to every resource
 * @param forceCommonLabels let a common label replace one the overlay sets
 * @param forceCommonAnnotations let a common annotation replace one the overlay sets
 * @param namespace the namespace override ({@code ""} for none)
 * @param replicas replica count overrides
 * @param version the requested kustomize version (no effect in Glidepath)
 */
public record KustomizeOptions(
    List<String> images,
    String namePrefix,
    String nameSuffix,
    Map<String, String> commonLabels,
    Map<String, String> commonAnnotations,
    boolean forceCommonLabels,
    boolean forceCommonAnnotations,
    String namespace,
    List<Replica> replicas,
    Optional<String> version) {
  /** No overrides. */
  public static final KustomizeOptions NONE =
      new KustomizeOptions(
          List.of(), "", "", Map.of(), Map.of(), false, false, "", List.of(), Optional.empty());

  public KustomizeOptions {
    images = List.copyOf(images);
    for (String image : images) {
      if (image.isBlank()) {
        throw new IllegalArgumentException("an image override must not be blank");
      }
    }
    namePrefix = namePrefix == null ? "" : namePrefix;
    nameSuffix = nameSuffix == null ? "" : nameSuffix;
    commonLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(commonLabels));
    commonAnnotations =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(commonAnnotations));
    namespace = namespace == null ? "" : namespace;
    replicas = List.copyOf(replicas);
    Objects.requireNonNull(version, "version");
  }

  /** Whether these options change nothing in the render. */
  public boolean isEmpty() {
    return images.isEmpty()
        && namePrefix.isEmpty()
        && nameSuffix.isEmpty()
        && commonLabels.isEmpty()
        && commonAnnotations.isEmpty()
        && namespace.isEmpty()
        && replicas.isEmpty();
  }

  public KustomizeOptions withImages(List<String> images) {
    return new KustomizeOptions(
        images,
        namePrefix,
        nameSuffix,
        commonLabels,
        commonAnnotations,
        forceCommonLabels,
        forceCommonAnnotations,
        namespace,
        replicas,
        version);
  }

  public KustomizeOptions withNamePrefix(String prefix) {
    return new KustomizeOptions(
        images,
        prefix,
        nameSuffix,
        commonLabels,
        commonAnnotations,
        forceCommonLabels,
        forceCommonAnnotations,
        namespace,
        replicas,
        version);
  }

  /**
   * A replica count override ({@code kustomize edit set replicas name=count}).
   *
   * @param name the workload's name (before any prefix or suffix)
   * @param count the replica count, zero or more
   */
  public record Replica(String name, int count) {
    public Replica {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("replica name must not be blank");
      }
      if (count < 0) {
        throw new IllegalArgumentException("replica count must be 0 or more, but was " + count);
      }
    }
  }
}
