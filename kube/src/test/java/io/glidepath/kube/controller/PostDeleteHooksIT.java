package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Argo CD's PostDelete hooks (and Helm's post-delete hooks): never run by a sync; the Application
 * object carries Argo CD's post-delete finalizers while the app has any; deleting the object
 * deletes the app's resources first, then runs the hooks, waits for them, and deletes them by their
 * delete policies before the object goes.
 */
class PostDeleteHooksIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String FINALIZER = "post-delete-finalizer.argocd.argoproj.io";

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static final String APP =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: shop
        namespace: argocd
        finalizers: [resources-finalizer.argocd.argoproj.io]
      spec:
        project: default
        source: {repoURL: "https://git.example.com/shop.git", targetRevision: main, path: shop}
        destination: {server: "https://kubernetes.default.svc", namespace: shop}
        syncPolicy:
          automated: {prune: true}
          syncOptions: [CreateNamespace=true]
      """;

  private static String job(String name, String annotations) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: %s
          annotations:
        %s
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: main, image: example.org/cleanup:1}]
        """
        .formatted(name, annotations.indent(4).stripTrailing());
  }

  private static final String CONFIG_MAP =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n";

  private static ResourceSet resources(String... docs) {
    return ResourceSet.of(Yaml.readResources(String.join("---\n", docs), "shop.yaml"));
  }

  private static ResourceKey application() {
    return new ResourceKey("argoproj.io", "Application", "argocd", "shop");
  }

  private static ResourceKey job(String name) {
    return new ResourceKey("batch", "Job", "shop", name);
  }

  private static final ResourceKey SETTINGS = new ResourceKey("", "ConfigMap", "shop", "settings");

  private List<String> finalizers() {
    List<String> out = new ArrayList<>();
    cluster
        .get(application())
        .ifPresent(o -> o.body().at("/metadata/finalizers").forEach(f -> out.add(f.asString())));
    return out;
  }

  private ApplicationController controller(AtomicReference<ResourceSet> desired) {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster.client().resource(APP).inNamespace("argocd").create();
    return ApplicationController.builder(
            Application.parse(APP, "shop.yaml"),
            cluster,
            () -> new DesiredState("rev-" + desired.get().size(), desired.get()))
        .resyncPeriod(Duration.ofHours(1))
        .projects(ProjectSource.of(Project.permissive("default")))
        .build();
  }

  private void deleteApplication() {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("shop")
        .delete();
  }

  @Test
  void runsPostDeleteHooksAfterTheResourcesAreGoneThenDeletesThemByPolicy() throws Exception {
    AtomicReference<ResourceSet> desired =
        new AtomicReference<>(
            resources(
                CONFIG_MAP,
                job(
                    "drop-db",
                    "helm.sh/hook: post-delete\nhelm.sh/hook-delete-policy: hook-succeeded"),
                job("notify", "argocd.argoproj.io/hook: PostDelete")));
    ApplicationController controller = controller(desired);

    AppStatus synced = controller.reconcile();

    assertThat(synced.synced()).as(synced.message()).isTrue();
    assertThat(cluster.get(SETTINGS)).isPresent();
    // a sync never runs them
    assertThat(cluster.get(job("drop-db"))).isEmpty();
    assertThat(cluster.get(job("notify"))).isEmpty();
    assertThat(finalizers())
        .containsExactly(
            "resources-finalizer.argocd.argoproj.io", FINALIZER, FINALIZER + "/cleanup");

    deleteApplication();
    List<String> messages = new ArrayList<>();
    boolean[] hookSeen = {false};
    eventually(
        WAIT,
        () -> {
          messages.add(controller.reconcile().message());
          if (cluster.get(job("drop-db")).isPresent()) {
            hookSeen[0] = true;
            // the hooks run once the app's resources are gone
            assertThat(cluster.get(SETTINGS)).isEmpty();
          }
          return cluster.get(application()).isEmpty();
        },
        () -> "the Application object is gone: " + messages);

    assertThat(hookSeen[0]).as(messages.toString()).isTrue();
    assertThat(String.join("\n", messages))
        .contains("created 2 PostDelete hook(s)")
        .contains("2 PostDelete hook(s) completed and removed " + FINALIZER);
    // hook-succeeded: deleted once all hooks succeeded; notify (BeforeHookCreation) stays
    assertThat(cluster.get(job("drop-db"))).isEmpty();
    assertThat(cluster.get(job("notify"))).isPresent();
  }

  @Test
  void aFailedHookDoesNotHoldTheDeletionAndHookFailedDeletesIt() throws Exception {
    AtomicReference<ResourceSet> desired =
        new AtomicReference<>(
            resources(
                CONFIG_MAP,
                job(
                    "drop-db",
                    "argocd.argoproj.io/hook: PostDelete\n"
                        + "argocd.argoproj.io/hook-delete-policy: HookFailed,HookSucceeded\n"
                        + "testkit.glidepath.io/ready: \"false\"")));
    ApplicationController controller = controller(desired);
    assertThat(controller.reconcile().synced()).isTrue();

    deleteApplication();
    List<String> messages = new ArrayList<>();
    eventually(
        WAIT,
        () -> {
          messages.add(controller.reconcile().message());
          return cluster.get(application()).isEmpty();
        },
        () -> "the Application object is gone: " + messages);

    assertThat(String.join("\n", messages)).contains("created 1 PostDelete hook(s)");
    assertThat(cluster.get(job("drop-db"))).isEmpty();
  }

  @Test
  void theFinalizersFollowWhetherTheAppHasPostDeleteHooks() throws Exception {
    AtomicReference<ResourceSet> desired = new AtomicReference<>(resources(CONFIG_MAP));
    ApplicationController controller = controller(desired);
    assertThat(controller.reconcile().synced()).isTrue();
    assertThat(finalizers()).containsExactly("resources-finalizer.argocd.argoproj.io");

    desired.set(resources(CONFIG_MAP, job("drop-db", "helm.sh/hook: post-delete")));
    controller.reconcile();
    assertThat(finalizers()).contains(FINALIZER, FINALIZER + "/cleanup");

    desired.set(resources(CONFIG_MAP));
    controller.reconcile();
    assertThat(finalizers()).containsExactly("resources-finalizer.argocd.argoproj.io");

    // without them, deleting the object deletes the resources and runs nothing
    deleteApplication();
    eventually(
        WAIT,
        () -> {
          controller.reconcile();
          return cluster.get(application()).isEmpty();
        },
        "the Application object is gone");
    assertThat(cluster.get(job("drop-db"))).isEmpty();
    assertThat(cluster.get(SETTINGS)).isEmpty();
  }
}
