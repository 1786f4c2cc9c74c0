package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A started controller follows its Application object through the cluster's one shared Application
 * informer: it adopts an object created after it started, one WATCH serves every controller, a
 * re-created object is a new app for a controller started again, and a failed cascading deletion is
 * Argo CD's DeletionError condition until the deletion succeeds.
 */
class ApplicationObjectFollowIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();
  private final List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String seedYaml() throws IOException {
    try (InputStream in = ApplicationObjectFollowIT.class.getResourceAsStream("/argocd-app.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The seed Application renamed to {@code name}, deploying into namespace {@code name}. */
  private static String appYaml(String name) throws IOException {
    return seedYaml()
        .replace("  name: trade-service\n", "  name: " + name + "\n")
        .replace("namespace: production", "namespace: " + name)
        .replace("selfHeal: true", "selfHeal: false");
  }

  private static ResourceKey application(String name) {
    return new ResourceKey("argoproj.io", "Application", "argocd", name);
  }

  private void createNamespace(String name) {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private void createObject(String yaml) {
    cluster.client().resource(yaml).inNamespace("argocd").create();
  }

  private void patchObject(String name, String patch) {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName(name)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-patch")
                .build(),
            patch);
  }

  private void deleteObject(String name) {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName(name)
        .delete();
  }

  private JsonNode status(String name) {
    return cluster
        .get(application(name))
        .map(r -> r.body().path("status"))
        .orElse(Yaml.mapper().createObjectNode());
  }

  /** A controller of {@code name} (resync once an hour) whose Git holds the renamed seed app. */
  private ApplicationController controller(String name) throws IOException {
    String rendered = TradeServiceManifests.RENDERED.replace("trade-service", name);
    DesiredState desired =
        new DesiredState("rev-1", ResourceSet.of(Yaml.readResources(rendered, name + ".yaml")));
    reconciles.putIfAbsent(name, new AtomicInteger());
    return ApplicationController.builder(
            Application.parse(appYaml(name), name + ".yaml"), cluster, () -> desired)
        .resyncPeriod(Duration.ofHours(1))
        .projects(ProjectSource.of(Project.permissive("production")))
        .listener(
            new ControllerListener() {
              @Override
              public void reconciled(AppStatus status) {
                reconciles.get(name).incrementAndGet();
              }

              @Override
              public void applicationDeleted(String app) {
                deleted.add(app);
              }
            })
        .build();
  }

  /** Waits until no controller has reconciled for 700 ms. */
  private void quiet() throws InterruptedException {
    int seen;
    do {
      seen = reconciles.values().stream().mapToInt(AtomicInteger::get).sum();
      Thread.sleep(700);
    } while (reconciles.values().stream().mapToInt(AtomicInteger::get).sum() != seen);
  }

  private long applicationWatches() {
    return embedded.requests().stream()
        .filter(c -> c.verb() == Verb.WATCH && c.kind().equals("Application"))
        .count();
  }

  @Test
  void anApplicationObjectCreatedAfterTheControllerStartedIsAdoptedAtOnce() throws Exception {
    createNamespace("argocd");
    try (ApplicationController controller = controller("shop")) {
      controller.start();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          () -> "synced without an object (" + controller.status() + ")");
      ResourceKey configMapStatus = new ResourceKey("", "ConfigMap", "argocd", "glidepath-shop");
      assertThat(cluster.get(configMapStatus)).as("the status is in the ConfigMap").isPresent();
      quiet();
      int syncWrites = embedded.writes().size();

      // kubectl apply -f shop.yaml, long after the start (the resync is an hour away)
      createObject(appYaml("shop"));

      eventually(
          WAIT,
          () -> status("shop").at("/sync/status").asString("").equals("Synced"),
          () -> "the object's status is written (" + controller.status() + ")");
      assertThat(status("shop").at("/sync/revision").asString()).isEqualTo("rev-1");
      assertThat(status("shop").at("/health/status").isMissingNode()).isFalse();
      quiet();
      assertThat(embedded.writes().subList(syncWrites, embedded.writes().size()))
          .as("rev-1 was synced before (the ConfigMap says so): only the object's status written")
          .allMatch(c -> c.kind().equals("Application"));

      // from now on the object is the spec: an edit is followed at once
      patchObject(
          "shop",
          "{\"spec\":{\"ignoreDifferences\":[{\"group\":\"apps\",\"kind\":\"Deployment\","
              + "\"jsonPointers\":[\"/spec/replicas\"]}]}}");
      eventually(
          WAIT,
          () -> status("shop").at("/sync/comparedTo/ignoreDifferences").isArray(),
          () -> "the edited object is followed (" + controller.status() + ")");
    }
  }

  @Test
  void threeControllersWithApplicationObjectsShareOneApplicationWatchAndWakeOnlyForTheirOwn()
      throws Exception {
    createNamespace("argocd");
    List<String> names = List.of("app-a", "app-b", "app-c");
    List<ApplicationController> controllers = new ArrayList<>();
    try {
      for (String name : names) {
        createObject(appYaml(name));
        controllers.add(controller(name));
      }
      embedded.clearRequests();
      controllers.forEach(ApplicationController::start);
      for (String name : names) {
        eventually(
            WAIT,
            () -> status(name).at("/sync/status").asString("").equals("Synced"),
            () -> name + " is synced and its status written");
      }
      quiet();
      assertThat(applicationWatches()).as("one Application watch, not one per controller").isOne();

      // kubectl edit application app-b (its spec): app-b reconciles, app-a and app-c sleep
      int a = reconciles.get("app-a").get();
      int b = reconciles.get("app-b").get();
      int c = reconciles.get("app-c").get();
      patchObject(
          "app-b",
          "{\"spec\":{\"ignoreDifferences\":[{\"group\":\"apps\",\"kind\":\"Deployment\","
              + "\"jsonPointers\":[\"/spec/replicas\"]}]}}");
      eventually(WAIT, () -> reconciles.get("app-b").get() > b, () -> "app-b reconciles the edit");
      eventually(
          WAIT,
          () -> status("app-b").at("/sync/comparedTo/ignoreDifferences").isArray(),
          () -> "app-b's status compares with the edited spec");
      quiet();
      assertThat(reconciles.get("app-a").get()).as("app-a").isEqualTo(a);
      assertThat(reconciles.get("app-c").get()).as("app-c").isEqualTo(c);
      assertThat(reconciles.get("app-b").get() - b)
          .as("app-b's own status write does not wake it again")
          .isEqualTo(1);
    } finally {
      controllers.forEach(ApplicationController::close);
    }
  }

  @Test
  void aReCreatedObjectIsANewAppForTheControllerStartedAgain() throws Exception {
    createNamespace("argocd");
    String withoutFinalizer =
        appYaml("shop")
            .replace("    - resources-finalizer.argocd.argoproj.io", "")
            .replace("  finalizers:\n", "");
    createObject(withoutFinalizer);
    try (ApplicationController controller = controller("shop")) {
      controller.start();
      eventually(
          WAIT,
          () -> status("shop").at("/history").size() == 1,
          () -> "synced into the first object (" + controller.status() + ")");
      String firstUid =
          cluster.get(application("shop")).orElseThrow().body().at("/metadata/uid").asString();

      deleteObject("shop");
      eventually(WAIT, () -> !controller.running(), () -> "stopped on the deletion");
      assertThat(deleted).containsExactly("shop");

      controller.start(); // the explicit step: follow whatever object of this name comes next
      int afterStart = reconciles.get("shop").get();
      eventually(
          WAIT,
          () -> reconciles.get("shop").get() > afterStart,
          () -> "the restarted loop reconciles");
      assertThat(controller.status().orElseThrow().message()).contains("no longer reconciled");
      assertThat(controller.running()).as("waits for a new object").isTrue();
      assertThat(deleted).as("told once per deletion").containsExactly("shop");

      createObject(withoutFinalizer);
      eventually(
          WAIT,
          () -> status("shop").at("/sync/status").asString("").equals("Synced"),
          () -> "the new object gets its own status (" + controller.status() + ")");
      JsonNode object = cluster.get(application("shop")).orElseThrow().body();
      assertThat(object.at("/metadata/uid").asString()).isNotEqualTo(firstUid);
      assertThat(object.at("/status/sync/revision").asString()).isEqualTo("rev-1");
      // the resources stayed (no finalizer) and are in sync: nothing to sync, no history carried
      assertThat(object.at("/status/history").isMissingNode()).isTrue();
      assertThat(controller.status().orElseThrow().lastSyncedRevision())
          .as("nothing carried over from the deleted object")
          .isEmpty();
      assertThat(controller.running()).isTrue();
    }
  }

  @Test
  void aFailedCascadingDeletionIsADeletionErrorConditionUntilTheDeletionSucceeds()
      throws Exception {
    createNamespace("argocd");
    // a second finalizer keeps the object after Glidepath removes its own: the status stays visible
    createObject(
        appYaml("shop")
            .replace(
                "    - resources-finalizer.argocd.argoproj.io",
                "    - resources-finalizer.argocd.argoproj.io\n    - example.com/hold"));
    ApplicationController controller = controller("shop");
    assertThat(controller.reconcile().synced()).isTrue();
    ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "shop");
    assertThat(cluster.get(deployment)).isPresent();

    embedded.inject(Fault.status(500).on(Verb.DELETE).forKinds("Deployment"));
    deleteObject("shop");
    AppStatus failed = controller.reconcile();

    assertThat(failed.message()).contains("delete of apps/Deployment:shop/shop failed (500");
    JsonNode conditions = status("shop").path("conditions");
    assertThat(conditions).hasSize(1);
    assertThat(conditions.get(0).path("type").asString()).isEqualTo("DeletionError");
    assertThat(conditions.get(0).path("message").asString())
        .contains("delete of apps/Deployment:shop/shop failed (500");
    assertThat(conditions.get(0).path("lastTransitionTime").asString()).isNotEmpty();
    assertThat(cluster.get(deployment)).isPresent();

    // the same failure again: the condition is already there, nothing written
    embedded.clearRequests();
    controller.reconcile();
    assertThat(embedded.writes()).filteredOn(c -> c.kind().equals("Application")).isEmpty();

    embedded.clearFaults();
    eventually(
        WAIT,
        () -> {
          controller.reconcile();
          return cluster.get(deployment).isEmpty()
              && !cluster
                  .get(application("shop"))
                  .orElseThrow()
                  .body()
                  .at("/metadata/finalizers")
                  .toString()
                  .contains("resources-finalizer");
        },
        () -> "deleted and the finalizer removed (" + controller.status() + ")");
    assertThat(status("shop").path("conditions").isMissingNode())
        .as("DeletionError removed: " + status("shop").path("conditions"))
        .isTrue();
  }
}
