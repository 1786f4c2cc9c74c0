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
 *   <li>{@code build}: the {@code kustomize build} flags Argo CD passes through {@code
 *       kustomize.buildOptions} ({@link BuildOptions}).
 *   <li>{@code allowedRemoteBases}: the hosts and repositories remote bases ({@code
 *       https://host/org/repo.git//path?ref=v1}) may come from, fetched by the request's {@link
 *       RemoteBaseLoader}. Empty by default: every remote base is refused. Argo CD lets kustomize
 *       fetch any remote base; Glidepath fetches only what is listed ({@link RemoteBaseAllowList}).
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
 * @param build the build flags ({@link BuildOptions#DEFAULTS} for kustomize's defaults)
 * @param allowedRemoteBases remote base allow-list entries ({@code HOST[/ORG[/REPO]]}); empty
 *     refuses every remote base
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
    Optional<String> version,
    BuildOptions build,
    List<String> allowedRemoteBases) {
  /** No overrides. */
  public static final KustomizeOptions NONE =
      new KustomizeOptions(
          List.of(), "", "", Map.of(), Map.of(), false, false, "", List.of(), Optional.empty());

  /** Overrides with these build flags and no remote base allowed. */
  public KustomizeOptions(
      List<String> images,
      String namePrefix,
      String nameSuffix,
      Map<String, String> commonLabels,
      Map<String, String> commonAnnotations,
      boolean forceCommonLabels,
      boolean forceCommonAnnotations,
      String namespace,
      List<Replica> replicas,
      Optional<String> version,
      BuildOptions build) {
    this(
        images,
        namePrefix,
        nameSuffix,
        commonLabels,
        commonAnnotations,
        forceCommonLabels,
        forceCommonAnnotations,
        namespace,
        replicas,
        version,
        build,
        List.of());
  }

  /** Overrides with kustomize's default build flags. */
  public KustomizeOptions(
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
    this(
        images,
        namePrefix,
        nameSuffix,
        commonLabels,
        commonAnnotations,
        forceCommonLabels,
        forceCommonAnnotations,
        namespace,
        replicas,
        version,
        BuildOptions.DEFAULTS);
  }

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
    build = build == null ? BuildOptions.DEFAULTS : build;
    allowedRemoteBases = List.copyOf(allowedRemoteBases == null ? List.of() : allowedRemoteBases);
    for (String allowed : allowedRemoteBases) {
      RemoteBaseAllowList.checkEntry(allowed);
    }
  }

  /**
   * These overrides with another remote base allow-list: {@code HOST}, {@code HOST/ORG} or {@code
   * HOST/ORG/REPO} entries ({@link RemoteBaseAllowList}); empty (the default) refuses every remote
   * base.
   */
  public KustomizeOptions withAllowedRemoteBases(List<String> allowed) {
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
        version,
        build,
        allowed);
  }

  /** These overrides with other build flags. */
  public KustomizeOptions withBuild(BuildOptions build) {
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
        version,
        build,
        allowedRemoteBases);
  }

  /** Whether these options change nothing in the render. */
  public boolean isEmpty() {
    return images.isEmpty()
        && namePrefix.isEmpty()
        && nameSuffix.isEmpty()
        && commonLabels.isEmpty()
        && commonAnnotations.isEmpty()
        && namespace.isEmpty()
        && replicas.isEmpty()
        && build.equals(BuildOptions.DEFAULTS)
        && allowedRemoteBases.isEmpty();
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
        version,
        build,
        allowedRemoteBases);
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
        version,
        build,
        allowedRemoteBases);
  }

  /**
   * The {@code kustomize build} flags Glidepath honours, as Argo CD's {@code
   * kustomize.buildOptions} passes them: {@code --load-restrictor LoadRestrictionsNone} (files
   * outside a kustomization's directory, but never outside the repository), {@code --enable-helm}
   * ({@code helmCharts}, rendered by the embedded Helm engine when {@code glidepath-helm} is on the
   * class path) and {@code --enable-managedby-label}.
   *
   * <pre>{@code
   * BuildOptions b = BuildOptions.parse("--enable-helm --load-restrictor LoadRestrictionsNone");
   * }</pre>
   *
   * @param loadRestrictionsNone {@code --load-restrictor LoadRestrictionsNone}
   * @param enableHelm {@code --enable-helm}
   * @param enableManagedByLabel {@code --enable-managedby-label}
   */
  public record BuildOptions(
      boolean loadRestrictionsNone, boolean enableHelm, boolean enableManagedByLabel) {
    /** kustomize's defaults: LoadRestrictionsRootOnly, no Helm, no managed-by label. */
    public static final BuildOptions DEFAULTS = new BuildOptions(false, false, false);

    // equals and hashCode written out as the record's generated ones compute them: those are
    // bootstrapped at their first call, which spins method-handle classes in every fresh JVM
    // (every Helm render asks KustomizeOptions.isEmpty)
    @Override
    public boolean equals(Object o) {
      return o == this
          || o instanceof BuildOptions b
              && loadRestrictionsNone == b.loadRestrictionsNone
              && enableHelm == b.enableHelm
              && enableManagedByLabel == b.enableManagedByLabel;
    }

    @Override
    public int hashCode() {
      return (Boolean.hashCode(loadRestrictionsNone) * 31 + Boolean.hashCode(enableHelm)) * 31
          + Boolean.hashCode(enableManagedByLabel);
    }

    /**
     * The flags in {@code args} (Argo CD's {@code kustomize.buildOptions} string).
     *
     * @throws IllegalArgumentException naming a flag Glidepath does not know or a bad value
     */
    public static BuildOptions parse(String args) {
      boolean none = false;
      boolean helm = false;
      boolean managedBy = false;
      String[] words = args == null ? new String[0] : args.trim().split("\\s+");
      for (int i = 0; i < words.length; i++) {
        String w = words[i];
        if (w.isEmpty()) {
          continue;
        }
        String value = null;
        int eq = w.indexOf('=');
        if (eq > 0) {
          value = w.substring(eq + 1);
          w = w.substring(0, eq);
        }
        switch (w) {
          case "--load-restrictor", "--load_restrictor" -> {
            if (value == null) {
              if (i + 1 >= words.length) {
                throw new IllegalArgumentException("--load-restrictor needs a value");
              }
              value = words[++i];
            }
            none =
                switch (value) {
                  case "LoadRestrictionsNone" -> true;
                  case "LoadRestrictionsRootOnly" -> false;
                  default ->
                      throw new IllegalArgumentException(
                          "--load-restrictor must be LoadRestrictionsRootOnly or"
                              + " LoadRestrictionsNone, but was "
                              + value);
                };
          }
          case "--enable-helm" -> helm = value == null || Boolean.parseBoolean(value);
          case "--enable-managedby-label" ->
              managedBy = value == null || Boolean.parseBoolean(value);
          default ->
              throw new IllegalArgumentException(
                  "kustomize build option "
                      + w
                      + " is not one Glidepath honours (--load-restrictor, --enable-helm,"
                      + " --enable-managedby-label)");
        }
      }
      return new BuildOptions(none, helm, managedBy);
    }
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
