package io.glidepath.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.health.ApplicationHealth;
import io.glidepath.core.health.CheckOrigin;
import io.glidepath.core.health.HealthAssessment;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argo CD's {@code argocd-cm} read from the cluster and followed: every change of the ConfigMap
 * rebuilds the settings and the {@link HealthAssessor} made from them, and {@link #assessor()}
 * (give it to the {@code SyncEngine} and the {@code ApplicationController}) always answers with the
 * latest, as does {@link #settings()} (give {@code cm::settings} to {@code
 * ApplicationController.Builder.settings} for the exclusions, inclusions and system-level
 * ignoreDifferences). A change that does not parse (a bad key, a Lua syntax error) is refused: the
 * last good settings stay in force and {@link #lastError()} says why; a deleted ConfigMap means no
 * customizations.
 *
 * <pre>{@code
 * try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm")) {
 *   SyncEngine engine = SyncEngine.builder(cluster).health(cm.assessor()).build();
 *   ApplicationController controller = ApplicationController.builder(app, cluster, source)
 *       .engine(engine).health(cm.assessor()).settings(cm::settings).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops following.
 */
public final class ArgoCdConfigMap implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArgoCdConfigMap.class);

  private record State(ArgoCdSettings settings, HealthAssessor assessor) {}

  private final String namespace;
  private final String name;
  private final Function<ArgoCdSettings, HealthAssessor> build;
  private final AtomicReference<State> state = new AtomicReference<>();
  private final AtomicReference<GlidepathException> lastError = new AtomicReference<>();
  private final SharedIndexInformer<ConfigMap> informer;
  private final HealthAssessor assessor = new Following();

  private ArgoCdConfigMap(
      KubeCluster cluster,
      String namespace,
      String name,
      Function<ArgoCdSettings, HealthAssessor> build) {
    this.namespace = namespace;
    this.name = name;
    this.build = build;
    state.set(new State(ArgoCdSettings.empty(), build.apply(ArgoCdSettings.empty())));
    ConfigMap now = cluster.client().configMaps().inNamespace(namespace).withName(name).get();
    if (now != null) {
      update(now);
    }
    this.informer =
        cluster
            .client()
            .configMaps()
            .inNamespace(namespace)
            .withName(name)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap cm) {
                    update(cm);
                  }

                  @Override
                  public void onUpdate(ConfigMap before, ConfigMap after) {
                    update(after);
                  }

                  @Override
                  public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                    state.set(
                        new State(ArgoCdSettings.empty(), build.apply(ArgoCdSettings.empty())));
                    lastError.set(null);
                  }
                });
  }

  /**
   * Follows the ConfigMap {@code namespace/name}; health checks are built with {@code
   * HealthAssessor.builder().argoCdSettings(settings).build()}.
   */
  public static ArgoCdConfigMap follow(KubeCluster cluster, String namespace, String name) {
    return follow(
        cluster, namespace, name, s -> HealthAssessor.builder().argoCdSettings(s).build());
  }

  /** As {@link #follow(KubeCluster, String, String)}, building each assessor with {@code build}. */
  public static ArgoCdConfigMap follow(
      KubeCluster cluster,
      String namespace,
      String name,
      Function<ArgoCdSettings, HealthAssessor> build) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(build, "build");
    return new ArgoCdConfigMap(cluster, namespace, name, build);
  }

  private void update(ConfigMap cm) {
    try {
      Resource r =
          Resource.of(
              Yaml.mapper().readTree(Serialization.asJson(cm)),
              Origin.of("ConfigMap " + namespace + "/" + name));
      ArgoCdSettings settings = ArgoCdSettings.of(r);
      state.set(new State(settings, build.apply(settings)));
      lastError.set(null);
    } catch (GlidepathException e) {
      LOG.warn("keeping the last good settings: {}", e.getMessage());
      lastError.set(e);
    }
  }

  /** The settings in force. */
  public ArgoCdSettings settings() {
    return state.get().settings();
  }

  /** Why the latest change was refused, until a good one (or a deletion) arrives. */
  public Optional<GlidepathException> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  /** An assessor that always uses the checks of the settings in force. */
  public HealthAssessor assessor() {
    return assessor;
  }

  @Override
  public void close() {
    informer.close();
  }

  /** Forwards to the assessor of the settings in force. */
  private final class Following implements HealthAssessor {
    @Override
    public HealthAssessment explain(Resource live) {
      return state.get().assessor().explain(live);
    }

    @Override
    public ApplicationHealth assess(ResourceSet desired, ResourceSet live) {
      return state.get().assessor().assess(desired, live);
    }

    @Override
    public Optional<CheckOrigin> checkFor(String group, String kind) {
      return state.get().assessor().checkFor(group, kind);
    }
  }
}
