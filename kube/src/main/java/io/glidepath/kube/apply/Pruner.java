package io.glidepath.kube.apply;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.internal.DefaultPruner;
import java.util.List;

/**
 * Deletes resources an app no longer wants, and only those it owns.
 *
 * <p>Each candidate is read again right before its delete: it is skipped when it is gone, when it
 * does not carry the app's own {@link io.glidepath.kube.TrackingId} (a copied label or annotation
 * is not ownership), or when it is annotated {@code argocd.argoproj.io/sync-options: Prune=false}.
 * The delete carries the propagation policy and a UID precondition, so an object recreated in the
 * meantime is not deleted. Candidates are pruned in the order given (the sync planner orders them
 * last, in reverse wave order).
 *
 * <pre>{@code
 * List<PruneResult> results =
 *     Pruner.of(cluster, PropagationPolicy.FOREGROUND).prune("trade-service", removedKeys);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Pruner {
  /** The annotation holding Argo CD sync options such as {@code Prune=false}. */
  String SYNC_OPTIONS = "argocd.argoproj.io/sync-options";

  /** A pruner deleting with foreground propagation, the default (as in the seed application). */
  static Pruner of(KubeCluster cluster) {
    return of(cluster, PropagationPolicy.FOREGROUND);
  }

  /** A pruner deleting with {@code policy}. */
  static Pruner of(KubeCluster cluster, PropagationPolicy policy) {
    return new DefaultPruner(cluster, policy, false);
  }

  /** A pruner that only reports what it would delete ({@code dryRun=All}). */
  static Pruner dryRun(KubeCluster cluster, PropagationPolicy policy) {
    return new DefaultPruner(cluster, policy, true);
  }

  /** Prunes {@code candidates} of {@code app}, in order. */
  List<PruneResult> prune(String app, List<ResourceKey> candidates);
}
