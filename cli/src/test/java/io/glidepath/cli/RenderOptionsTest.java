package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.render.FileParameter;
import io.glidepath.core.render.RenderRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderOptionsTest {
  @Test
  void anApplicationsHelmAndKustomizeOptionsReachTheRequest(@TempDir Path repo) {
    Application app =
        Application.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: demo}
            spec:
              source:
                repoURL: https://git.example.com/r.git
                path: app
                helm:
                  values: "replicas: 3"
                  fileParameters: [{name: cert, path: tls.crt}]
                  ignoreMissingValueFiles: true
                  skipCrds: true
                  kubeVersion: "1.30.0"
              destination: {server: https://kubernetes.default.svc, namespace: demo}
            """,
            "app.yaml");
    // a source names one tool (Argo CD refuses two): the Kustomize options in an app of their own
    Application kustomized =
        Application.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: demo}
            spec:
              source:
                repoURL: https://git.example.com/r.git
                path: app
                kustomize:
                  namePrefix: prod-
              destination: {server: https://kubernetes.default.svc, namespace: demo}
            """,
            "kustomized.yaml");
    RenderOptions options = new RenderOptions();
    options.appPath = repo.resolve("app");
    options.repoRoot = repo;

    RenderRequest r = options.toRequest(app);

    assertThat(r.inlineValues().get("replicas").orElseThrow().intValue()).isEqualTo(3);
    assertThat(r.fileParameters()).containsExactly(new FileParameter("cert", "tls.crt"));
    assertThat(r.ignoreMissingValueFiles()).isTrue();
    assertThat(r.skipCrds()).isTrue();
    assertThat(r.kubeVersion()).contains("1.30.0");
    assertThat(options.toRequest(kustomized).kustomize().namePrefix()).isEqualTo("prod-");
  }

  @Test
  void kustomizeBuildFlagsReachTheRequest(@TempDir Path repo) {
    RenderOptions options = new RenderOptions();
    options.appPath = repo.resolve("app");
    options.repoRoot = repo;
    options.loadRestrictor = "LoadRestrictionsNone";
    options.enableHelm = true;
    options.enableManagedByLabel = true;

    assertThat(options.toRequest().kustomize().build())
        .isEqualTo(new io.glidepath.core.render.KustomizeOptions.BuildOptions(true, true, true));
  }

  @Test
  void anUnknownLoadRestrictorIsRefused(@TempDir Path repo) {
    RenderOptions options = new RenderOptions();
    options.appPath = repo.resolve("app");
    options.repoRoot = repo;
    options.loadRestrictor = "LoadRestrictionsSome";

    org.assertj.core.api.Assertions.assertThatThrownBy(options::toRequest)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LoadRestrictionsSome");
  }
}
