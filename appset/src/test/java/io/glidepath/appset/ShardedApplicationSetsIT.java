package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.cluster.RegisteredCluster;
import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.kube.shard.ShardedItems;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas share ApplicationSets with {@link ShardedItems}: the owner's controller writes; a
 * frozen owner's set is taken over, and its stale pass is refused before its first write.
 */
class ShardedApplicationSetsIT {
  private static final String ITEM = "appset/argocd/shop";
  private static final ShardAssignment PREFER_A =
      (item, replicas) ->
          replicas.contains("replica-a")
              ? Optional.of("replica-a")
              : replicas.stream().sorted().findFirst();
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final GeneratorContext context =
      GeneratorContext.of(
          List.of(RegisteredCluster.inCluster()),
          (url, rev) -> {
            throw new IllegalStateException("no git here");
          });

  @AfterEach
  void close() {
    embedded.close();
  }

  private record Replica(
      KubeCluster control,
      ReplicaMembership membership,
      ManualClock clock,
      ShardedItems sets,
      Map<String, ApplicationSetController> controllers) {
    void close() {
      sets.close();
      membership.close();
      control.close();
    }
  }

  private Replica replica(String id) {
    Config config = embedded.config();
    config.setUserAgent(id);
    config.setRequestRetryBackoffLimit(0);
    KubeCluster control = KubeCluster.connect(config, RequestRetry.NONE);
    ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    ReplicaMembership m =
        ReplicaMembership.builder(control, "argocd", "glidepath")
            .identity(id)
            .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
            .clock(clock)
            .manualTicks()
            .start();
    Map<String, ApplicationSetController> controllers = new ConcurrentHashMap<>();
    ShardedItems sets =
        ShardedItems.builder(
                m,
                (item, fence) -> {
                  String[] part = item.split("/");
                  ApplicationSetController c =
                      ApplicationSetController.builder(control, part[1], part[2], context)
                          .writeCheck(fence)
                          .build();
                  controllers.put(item, c); // the test runs its passes by hand
                  return () -> controllers.remove(item);
                })
            .assignment(PREFER_A)
            .build();
    return new Replica(control, m, clock, sets, controllers);
  }

  private void applySet(KubeCluster control, String elements) {
    control
        .client()
        .resource(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: shop,"
                + " namespace: argocd}\nspec:\n  generators:\n  - list:\n      elements: "
                + elements
                + "\n  template:\n    metadata: {name: '{{env}}-shop'}\n    spec:\n"
                + "      project: default\n      source: {repoURL: https://git.example/r.git,"
                + " targetRevision: HEAD, path: 'shop/{{env}}'}\n      destination: {server:"
                + " https://kubernetes.default.svc, namespace: shop}\n")
        .inNamespace("argocd")
        .createOr(r -> r.update());
  }

  @Test
  void aFrozenOwnersPassIsRefusedAndTheNewOwnerWrites() {
    KubeCluster admin = KubeCluster.connect(embedded.config(), RequestRetry.NONE);
    admin
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
    applySet(admin, "[{env: staging}]");
    Replica a = replica("replica-a");
    Replica b = replica("replica-b");
    try {
      a.membership().tick();
      a.sets().offer(ITEM);
      b.sets().offer(ITEM);
      assertThat(a.sets().running()).containsExactly(ITEM);
      assertThat(b.sets().running()).isEmpty();
      ApplicationSetController stale = a.controllers().get(ITEM);
      assertThat(stale.reconcile().created()).containsExactly("staging-shop");

      // a freezes; b's clock runs past a's lease and b takes the set over
      b.clock().advance(Duration.ofSeconds(16));
      b.membership().tick();
      assertThat(b.sets().running()).containsExactly(ITEM);
      assertThat(b.sets().stats().takeovers()).isEqualTo(1);

      // the set gains an element; a wakes and runs the pass it was about to run: refused
      applySet(admin, "[{env: staging}, {env: prod}]");
      embedded.clearRequests();
      assertThatThrownBy(stale::reconcile)
          .isInstanceOf(FencedWriteException.class)
          .hasMessageContaining("held by 'replica-b'");
      assertThat(embedded.writes().stream().filter(c -> c.userAgent().equals("replica-a")))
          .isEmpty();
      assertThat(a.sets().stats().fencedWrites()).isEqualTo(1);
      assertThat(admin.get(new ResourceKey("argoproj.io", "Application", "argocd", "prod-shop")))
          .isEmpty();

      assertThat(b.controllers().get(ITEM).reconcile().created()).containsExactly("prod-shop");
    } finally {
      a.close();
      b.close();
      admin.close();
    }
  }
}
