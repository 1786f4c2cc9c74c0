package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.cluster.RegisteredCluster;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ApplicationSetControllerIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster control =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10)));
  private final GeneratorContext context =
      GeneratorContext.of(
          List.of(RegisteredCluster.inCluster()),
          (url, rev) -> {
            throw new IllegalStateException("no git here");
          });

  @BeforeEach
  void namespace() {
    control
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
  }

  @AfterEach
  void close() {
    control.close();
    embedded.close();
  }

  private void applySet(String elements, String policy) {
    control
        .client()
        .resource(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: shop,"
                + " namespace: argocd}\nspec:\n  generators:\n  - list:\n      elements: "
                + elements
                + "\n  syncPolicy: {applicationsSync: "
                + policy
                + "}\n  template:\n    metadata: {name: '{{env}}-shop'}\n    spec:\n"
                + "      project: default\n      source: {repoURL: https://git.example/r.git,"
                + " targetRevision: HEAD, path: 'shop/{{env}}'}\n      destination: {server:"
                + " https://kubernetes.default.svc, namespace: shop}\n")
        .inNamespace("argocd")
        .createOr(r -> r.update());
  }

  private ApplicationSetController controller() {
    return ApplicationSetController.builder(control, "argocd", "shop", context).build();
  }

  private Resource app(String name) {
    return control.get(new ResourceKey("argoproj.io", "Application", "argocd", name)).orElse(null);
  }

  @Test
  void createsTheGeneratedApplicationsWithOwnerReferencesAndStatus() {
    applySet("[{env: staging}, {env: prod}]", "sync");
    ApplicationSetController.Pass pass = controller().reconcile();
    assertThat(pass.created()).containsExactly("staging-shop", "prod-shop");
    Resource staging = app("staging-shop");
    assertThat(staging.body().at("/spec/source/path").asString()).isEqualTo("shop/staging");
    assertThat(staging.body().at("/metadata/ownerReferences/0/kind").asString())
        .isEqualTo("ApplicationSet");
    assertThat(staging.body().at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
    assertThat(staging.body().at("/metadata/finalizers/0").asString())
        .isEqualTo("resources-finalizer.argocd.argoproj.io");
    Resource set =
        control
            .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "shop"))
            .orElseThrow();
    assertThat(set.body().at("/status/conditions/1/type").asString())
        .isEqualTo("ParametersGenerated");
    assertThat(set.body().at("/status/conditions/1/message").asString())
        .isEqualTo("Successfully generated parameters for all Applications");
    assertThat(set.body().at("/status/resources")).hasSize(2);
  }

  @Test
  void aPassOverUnchangedApplicationsWritesNothing() {
    applySet("[{env: staging}, {env: prod}]", "sync");
    ApplicationSetController c = controller();
    c.reconcile();
    embedded.clearRequests();
    ApplicationSetController.Pass again = c.reconcile();
    assertThat(again.wroteNothing()).as(again.toString()).isTrue();
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void followsApplicationsSyncOnDeleteAndUpdate() {
    applySet("[{env: staging}, {env: prod}]", "create-only");
    ApplicationSetController c = controller();
    c.reconcile();
    applySet("[{env: staging}]", "create-only");
    assertThat(c.reconcile().deleted()).isEmpty();
    assertThat(app("prod-shop")).isNotNull();

    applySet("[{env: staging}]", "sync");
    ApplicationSetController.Pass p = c.reconcile();
    assertThat(p.deleted()).containsExactly("prod-shop");
    // the resources finalizer holds it until its ApplicationController has deleted its resources
    assertThat(app("prod-shop").body().at("/metadata/deletionTimestamp").asString()).isNotEmpty();

    // a hand edit of a generated Application is reverted under sync, kept under create-delete
    Resource staging = app("staging-shop");
    control
        .client()
        .resource(
            tools.jackson.databind.json.JsonMapper.shared()
                .writeValueAsString(
                    ((tools.jackson.databind.node.ObjectNode) staging.body().deepCopy())
                        .set(
                            "spec",
                            ((tools.jackson.databind.node.ObjectNode)
                                    staging.body().path("spec").deepCopy())
                                .put("project", "edited"))))
        .inNamespace("argocd")
        .update();
    applySet("[{env: staging}]", "create-delete");
    assertThat(c.reconcile().updated()).isEmpty();
    assertThat(app("staging-shop").body().at("/spec/project").asString()).isEqualTo("edited");
    applySet("[{env: staging}]", "sync");
    assertThat(c.reconcile().updated()).containsExactly("staging-shop");
    assertThat(app("staging-shop").body().at("/spec/project").asString()).isEqualTo("default");
  }

  @Test
  void aGeneratorErrorIsAConditionAndChangesNoApplication() {
    applySet("[{env: staging}]", "sync");
    ApplicationSetController c = controller();
    c.reconcile();
    applySet("[{env: 3}]", "sync"); // not a string without goTemplate: Argo CD refuses it
    ApplicationSetController.Pass p = c.reconcile();
    assertThat(p.error()).contains("error parsing value as string");
    assertThat(p.deleted()).isEmpty();
    assertThat(app("staging-shop")).isNotNull();
    Resource set =
        control
            .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "shop"))
            .orElseThrow();
    assertThat(set.body().at("/status/conditions/0/type").asString()).isEqualTo("ErrorOccurred");
    assertThat(set.body().at("/status/conditions/0/status").asString()).isEqualTo("True");
  }

  /** The PATCHes of the ApplicationSet that wrote its status, as "uri status". */
  private List<String> statusWrites() {
    return embedded.requests().stream()
        .filter(c -> c.kind().equals("ApplicationSet") && c.method().equals("PATCH"))
        .filter(c -> c.body().contains("\"status\""))
        .map(c -> c.uri().replaceAll("\\?.*", "") + " " + c.status())
        .toList();
  }

  private static final String SET =
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applicationsets/shop";

  @Test
  void theStatusGoesThroughTheStatusSubresourceArgoCdsCrdDeclares() {
    applySet("[{env: staging}]", "sync");
    embedded.clearRequests();

    controller().reconcile();

    assertThat(statusWrites()).containsExactly(SET + "/status 200");
  }

  /** Argo CD's ApplicationSet CRD (again), with a status subresource or without one. */
  private void defineApplicationSets(boolean statusSubresource) {
    embedded.defineCustomResource(
        "argoproj.io", "v1alpha1", "ApplicationSet", "applicationsets", statusSubresource);
  }

  private JsonNode setStatus() {
    return control
        .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "shop"))
        .orElseThrow()
        .body()
        .path("status");
  }

  @Test
  void anApplicationSetCrdWithoutAStatusSubresourceHasTheStatusWrittenWithTheObject() {
    defineApplicationSets(false);
    applySet("[{env: staging}]", "sync");
    embedded.clearRequests();

    controller().reconcile();

    assertThat(statusWrites()).as("no 404 on /status first").containsExactly(SET + " 200");
    Resource set =
        control
            .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "shop"))
            .orElseThrow();
    assertThat(set.body().at("/status/resources")).hasSize(1);
  }

  @Test
  void aStatusSubresourceRemovedSinceDiscoveryCostsOneFallbackThenTheObjectIsWritten() {
    applySet("[{env: staging}]", "sync");
    ApplicationSetController c = controller();
    c.reconcile(); // discovery: /status
    defineApplicationSets(false);
    applySet("[{env: staging}, {env: prod}]", "sync");
    embedded.clearRequests();

    c.reconcile();
    List<String> first = statusWrites();
    applySet("[{env: staging}, {env: prod}, {env: qa}]", "sync");
    embedded.clearRequests();
    c.reconcile();

    assertThat(first).containsExactly(SET + "/status 404", SET + " 200");
    assertThat(statusWrites()).as("discovery refreshed").containsExactly(SET + " 200");
    assertThat(setStatus().path("resources")).hasSize(3);
  }

  @Test
  void aStatusSubresourceAddedSinceDiscoveryGetsTheStatusTheObjectDidNotKeep() {
    defineApplicationSets(false);
    applySet("[{env: staging}]", "sync");
    ApplicationSetController c = controller();
    c.reconcile(); // discovery: no /status
    defineApplicationSets(true);
    applySet("[{env: staging}, {env: prod}]", "sync");
    embedded.clearRequests();

    c.reconcile();

    assertThat(statusWrites())
        .as("the object kept its status: discovery refreshed, then /status")
        .containsExactly(SET + " 200", SET + "/status 200");
    assertThat(setStatus().path("resources")).hasSize(2);
  }
}
