package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.kustomize.internal.Json;
import io.glidepath.testkit.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Argo CD's {@code spec.source.kustomize} overrides: Glidepath's render of the overlay with the
 * overrides equals {@code kubectl kustomize} of the overlay as {@code kustomize edit set ...} (the
 * commands Argo CD runs) leaves it.
 *
 * <p>Needs {@code kubectl} (kustomize v5.5) on the PATH; skipped locally without it, a failure when
 * {@code CI=true}.
 */
class KustomizeOverridesIT {
  @TempDir Path tmp;

  private static final String BASE =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
              - name: web
                image: nginx:1.25
              - name: sidecar
                image: busybox
              - name: agent
                image: registry.example.com/agent:2.0
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector: {app: web}
        ports: [{port: 80}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data: {level: info}
      """;

  /** The overlay as it is in Git. */
  private static final String OVERLAY =
      """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources: [../../base]
      namePrefix: staging-
      commonLabels:
        app.kubernetes.io/part-of: shop
      images:
        - name: nginx
          newTag: "1.26"
        - name: registry.example.com/agent
          digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
      replicas:
        - name: web
          count: 2
      """;

  @BeforeAll
  static void kubectlIsThere() {
    ExternalTool.require(ExternalTool.KUBECTL);
  }

  private Path repo(String overlay) throws IOException {
    Path repo =
        Files.createDirectories(tmp.resolve("repo-" + Integer.toHexString(overlay.hashCode())));
    Files.createDirectories(repo.resolve("base"));
    Files.writeString(repo.resolve("base/all.yaml"), BASE);
    Files.writeString(repo.resolve("base/kustomization.yaml"), "resources: [all.yaml]\n");
    Files.createDirectories(repo.resolve("overlays/production"));
    Files.writeString(repo.resolve("overlays/production/kustomization.yaml"), overlay);
    return repo;
  }

  private static Application app(String kustomize) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source:
            repoURL: https://git.example.com/org/gitops-configs.git
            path: overlays/production
            kustomize:
        %s
          destination: {server: https://kubernetes.default.svc, namespace: web-prod}
        """
            .formatted(kustomize.indent(6).stripTrailing()),
        "web-app.yaml");
  }

  private List<JsonNode> glidepath(String kustomize) throws IOException {
    RenderRequest request = app(kustomize).renderRequest(repo(OVERLAY));
    List<JsonNode> out = new ArrayList<>();
    for (Resource r : KustomizeRenderer.of().render(request).resources()) {
      out.add(r.body());
    }
    return out;
  }

  private List<JsonNode> kubectlAfterEdit(String editedOverlay) throws Exception {
    Path dir = repo(editedOverlay).resolve("overlays/production");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
    List<JsonNode> docs = new ArrayList<>();
    for (YamlDocument d : Yaml.readDocuments(new String(out, StandardCharsets.UTF_8), "kubectl")) {
      docs.add(d.content());
    }
    return docs;
  }

  private static void assertSame(List<JsonNode> ours, List<JsonNode> theirs) {
    assertThat(ours).hasSameSizeAs(theirs);
    for (int i = 0; i < ours.size(); i++) {
      if (!Json.equalValues(ours.get(i), theirs.get(i))) {
        assertThat(Yaml.write(ours.get(i))).isEqualTo(Yaml.write(theirs.get(i)));
      }
    }
  }

  @Test
  void overridesRenderAsKustomizeEditSetThenBuild() throws Exception {
    List<JsonNode> ours =
        glidepath(
            """
            namePrefix: prod-
            nameSuffix: -v2
            namespace: web-prod
            images:
              - nginx=registry.example.com/nginx:1.27.2
              - busybox:1.36
              - registry.example.com/agent:2.1
            replicas:
              - name: web
                count: 3
            commonLabels:
              tier: frontend
            commonAnnotations:
              owner: web-team
            """);
    // the overlay after: kustomize edit set nameprefix prod-; set namesuffix -- -v2;
    // set namespace web-prod; set image nginx=registry.example.com/nginx:1.27.2 busybox:1.36
    // registry.example.com/agent:2.1; set replicas web=3; add label tier:frontend;
    // add annotation owner:web-team
    List<JsonNode> kubectl =
        kubectlAfterEdit(
            """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [../../base]
            namePrefix: prod-
            nameSuffix: -v2
            namespace: web-prod
            commonLabels:
              app.kubernetes.io/part-of: shop
              tier: frontend
            commonAnnotations:
              owner: web-team
            images:
              - name: nginx
                newName: registry.example.com/nginx
                newTag: "1.27.2"
              - name: registry.example.com/agent
                newTag: "2.1"
              - name: busybox
                newTag: "1.36"
            replicas:
              - name: web
                count: 3
            """);
    assertSame(ours, kubectl);
    // and the overrides did change the render
    JsonNode deployment = ours.get(ours.size() - 1);
    assertThat(deployment.at("/metadata/name").asString()).isEqualTo("prod-web-v2");
    assertThat(deployment.at("/spec/template/spec/containers/0/image").asString())
        .isEqualTo("registry.example.com/nginx:1.27.2");
  }

  @Test
  void forcedCommonLabelsReplaceTheOverlaysOwn() throws Exception {
    List<JsonNode> ours =
        glidepath(
            """
            commonLabels:
              app.kubernetes.io/part-of: checkout
            forceCommonLabels: true
            """);
    List<JsonNode> kubectl =
        kubectlAfterEdit(
            OVERLAY.replace(
                "app.kubernetes.io/part-of: shop", "app.kubernetes.io/part-of: checkout"));
    assertSame(ours, kubectl);
  }

  @Test
  void aCommonLabelTheOverlayHasIsAnErrorUnlessForced() {
    assertThatThrownBy(() -> glidepath("commonLabels: {app.kubernetes.io/part-of: checkout}"))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> assertThat(e.problem()).isEqualTo(KustomizeException.Problem.CONFLICT))
        .hasMessageContaining("overlays/production/kustomization.yaml")
        .hasMessageContaining("commonLabels.app.kubernetes.io/part-of")
        .hasMessageContaining("forceCommonLabels");
  }

  @Test
  void anImageOverrideWithoutTagNameOrDigestIsAnError() {
    assertThatThrownBy(() -> glidepath("images: [nginx]"))
        .isInstanceOf(KustomizeException.class)
        .hasMessageContaining("spec.source.kustomize.images[0]")
        .hasMessageContaining("\"nginx\"");
  }

  @Test
  void noOverridesRendersTheOverlayUnchanged() throws Exception {
    RenderRequest plain = RenderRequest.builder(repo(OVERLAY), "overlays/production").build();
    List<JsonNode> ours = new ArrayList<>();
    KustomizeRenderer.of().render(plain).resources().forEach(r -> ours.add(r.body()));
    assertSame(ours, kubectlAfterEdit(OVERLAY));
    assertThat(KustomizeOptions.NONE.isEmpty()).isTrue();
  }
}
