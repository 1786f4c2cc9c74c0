package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The trade-service overlays rendered without kubectl: what the seed's environments ask for. */
class KustomizeRendererTest {
  private static final Path REPO = Path.of("../examples/gitops-configs");

  private static RenderResult render(String env) {
    RenderRequest request =
        RenderRequest.builder(REPO, "apps/trade-service-kustomize/overlays/" + env).build();
    ManifestRenderer renderer = ManifestRenderer.detect(request.appDir());
    assertThat(renderer).isSameAs(KustomizeRenderer.of());
    return renderer.render(request);
  }

  private static Resource get(RenderResult r, String group, String kind, String ns, String name) {
    return r.resources().get(new ResourceKey(group, kind, ns, name)).orElseThrow();
  }

  @Test
  void productionHasTenReplicasThePinnedImageAPdbAndAnHpa() {
    RenderResult prod = render("production");
    assertThat(prod.renderer()).isEqualTo("kustomize");
    Resource deploy = get(prod, "apps", "Deployment", "production", "trade-service");
    assertThat(deploy.at("/spec/replicas").asInt()).isEqualTo(10);
    assertThat(deploy.at("/spec/template/spec/containers/0/image").asString())
        .isEqualTo("registry.example.com/org/trade-service:3f2a9c1");
    assertThat(deploy.at("/spec/template/spec/containers/0/resources/limits/memory").asString())
        .isEqualTo("1Gi");
    assertThat(deploy.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asString())
        .isEqualTo("trade-service");
    assertThat(deploy.labels()).containsEntry("environment", "production");
    assertThat(
            get(prod, "policy", "PodDisruptionBudget", "production", "trade-service")
                .at("/spec/minAvailable")
                .asString())
        .isEqualTo("60%");
    Resource hpa =
        get(prod, "autoscaling", "HorizontalPodAutoscaler", "production", "trade-service");
    assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(30);
    assertThat(
            get(prod, "networking.k8s.io", "Ingress", "production", "trade-service")
                .at("/spec/rules/0/host")
                .asString())
        .isEqualTo("trade-service.example.com");
  }

  @Test
  void theHashedConfigMapIsWhatTheDeploymentReads() {
    RenderResult staging = render("staging");
    Resource cm =
        staging.resources().stream()
            .filter(r -> r.kind().equals("ConfigMap"))
            .findFirst()
            .orElseThrow();
    assertThat(cm.name()).matches("trade-service-config-[a-z0-9]{10}");
    assertThat(cm.at("/data/LOG_LEVEL").asString()).isEqualTo("debug");
    Resource deploy = get(staging, "apps", "Deployment", "staging", "trade-service");
    assertThat(deploy.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asString())
        .isEqualTo(cm.name());
    assertThat(deploy.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(staging.resources().keys())
        .noneMatch(k -> k.kind().equals("HorizontalPodAutoscaler"));
  }

  @Test
  void helmOptionsGivenToAKustomizeAppAreReportedNotSilentlyDropped() {
    RenderRequest request =
        RenderRequest.builder(REPO, "apps/trade-service-kustomize/overlays/staging")
            .valueFiles("values.yaml")
            .parameter("image.tag", "abc")
            .build();
    assertThat(KustomizeRenderer.of().render(request).warnings())
        .singleElement()
        .asString()
        .contains("Helm options");
  }
}
