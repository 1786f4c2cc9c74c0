package io.glidepath.kube.apply;

import io.glidepath.core.resource.Resource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.internal.DefaultApplier;
import java.util.List;

/**
 * Writes desired resources into a cluster, marking each with the app's {@link
 * io.glidepath.kube.TrackingId}.
 *
 * <p>First it checks every kind of the plan against the cluster's discovery and writes nothing when
 * one is not served and no CustomResourceDefinition of the plan defines it (Argo CD's pre-sync dry
 * run, which is client-side); with {@link ApplyOptions#dryRunFirst()} it also dry-runs the whole
 * plan on the server ({@code dryRun=All}, up to {@link ApplyOptions#parallelism()} requests at
 * once) and writes nothing when any resource fails. Then it writes them (namespaces and CRDs first,
 * one by one, the rest up to {@link ApplyOptions#parallelism()} at once; results in plan order), by
 * server-side apply with field manager {@code glidepath}. With {@code ServerSideApply=false} it
 * does kubectl's client-side three-way apply (the {@code
 * kubectl.kubernetes.io/last-applied-configuration} annotation and a JSON merge patch, no write
 * when the patch is empty); {@code Replace} creates or PUTs whole objects; {@code Force} takes over
 * conflicting fields and recreates objects the API refuses to change; {@code CreateNamespace}
 * creates missing namespaces first (with the managed namespace metadata); {@code
 * FailOnSharedResource} refuses resources tracked by another app.
 *
 * <pre>{@code
 * Applier applier = Applier.of(cluster, ApplyOptions.builder().createNamespace(true).build());
 * ApplyReport report = applier.apply("trade-service", desired.toList());
 * }</pre>
 *
 * <p>Thread-safe; each call is independent. Transient API failures are retried per the cluster's
 * {@link io.glidepath.kube.RequestRetry}.
 */
public interface Applier {
  /** An applier writing to {@code cluster} with {@code options}. */
  static Applier of(KubeCluster cluster, ApplyOptions options) {
    return new DefaultApplier(cluster, options);
  }

  /** Applies {@code resources} for {@code app}, in order. */
  ApplyReport apply(String app, List<Resource> resources);
}
