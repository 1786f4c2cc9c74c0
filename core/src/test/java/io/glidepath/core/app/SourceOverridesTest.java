package io.glidepath.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.resource.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argo CD's {@code .argocd-source.yaml} and {@code .argocd-source-<app>.yaml} in an app directory
 * (argocd-image-updater's write-back target) change the source before it is rendered.
 */
class SourceOverridesTest {
  @TempDir Path repo;

  private Path dir() throws Exception {
    Path dir = repo.resolve("apps/web");
    Files.createDirectories(dir);
    for (String name : new String[] {"a", "b"}) {
      Files.writeString(
          dir.resolve(name + ".yaml"),
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n");
    }
    return dir;
  }

  private static Application app(String sourceBody) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source:
            repoURL: https://git.example.com/c.git
            targetRevision: main
            path: apps/web
        %s
          destination: {server: "https://kubernetes.default.svc", namespace: web}
        """
            .formatted(sourceBody.indent(4).stripTrailing()),
        "web.yaml");
  }

  private java.util.List<String> rendered(Application app) {
    GitCheckouts local = (url, revision) -> GitCheckouts.Checkout.of(repo, "c0ffee");
    return ApplicationRenderer.builder().git(local).build().render(app).resources().stream()
        .map(Resource::name)
        .sorted()
        .toList();
  }

  private ApplicationSource merged(ApplicationSource s) throws Exception {
    return SourceOverrides.apply(s, repo, dir(), "web", "", "spec.source", false);
  }

  @Test
  void theAppsOwnFileIsMergedAfterTheCommonOne() throws Exception {
    Path dir = dir();
    assertThat(rendered(app(""))).containsExactly("a", "b");
    Files.writeString(dir.resolve(".argocd-source.yaml"), "directory:\n  include: a.yaml\n");
    assertThat(rendered(app(""))).containsExactly("a");
    Files.writeString(dir.resolve(".argocd-source-web.yaml"), "directory:\n  include: b.yaml\n");
    assertThat(rendered(app(""))).containsExactly("b");
    // another app's file is not read
    Files.delete(dir.resolve(".argocd-source-web.yaml"));
    Files.writeString(dir.resolve(".argocd-source-api.yaml"), "directory:\n  include: b.yaml\n");
    assertThat(rendered(app(""))).containsExactly("a");
  }

  @Test
  void aSingleSourceApplicationTakesItsFilesWhole() throws Exception {
    Application app = app("");
    assertThat(app.withOverrideFiles(repo, dir())).isSameAs(app);
    Files.writeString(dir().resolve(".argocd-source-web.yaml"), "directory: {recurse: true}\n");

    Application merged = app.withOverrideFiles(repo, dir());

    assertThat(merged.source().directory().orElseThrow().recurse()).isTrue();
    assertThat(merged.source().renderer(dir()).name()).isEqualTo("directory");
    assertThat(merged.name()).isEqualTo("web");
  }

  @Test
  void readsTheImageUpdatersHelmParametersWithGosCaseInsensitiveFieldNames() throws Exception {
    Files.writeString(
        dir().resolve(".argocd-source-web.yaml"),
        """
        helm:
          parameters:
          - name: image.tag
            value: v1.2.3
            forcestring: true
        """);
    ApplicationSource s =
        app("helm:\n  valueFiles: [values.yaml]\n  parameters: [{name: replicas, value: '2'}]")
            .source();

    ApplicationSource out = merged(s);

    HelmSource h = out.helm().orElseThrow();
    // a merge patch replaces a list whole, and keeps what it does not name
    assertThat(h.parameters()).containsExactly(new Parameter("image.tag", "v1.2.3", true));
    assertThat(h.valueFiles()).containsExactly("values.yaml");
  }

  @Test
  void keepsTheApplicationsRepositoryPathAndRevisionAndRemovesWhatANullNames() throws Exception {
    Files.writeString(
        dir().resolve(".argocd-source.yaml"),
        """
        repoURL: https://elsewhere.example.com/x.git
        path: apps/other
        targetRevision: evil
        directory: null
        kustomize: {namePrefix: p-}
        """);
    ApplicationSource s = app("directory: {recurse: true}").source();

    ApplicationSource out = merged(s);

    assertThat(out.repoURL()).isEqualTo(s.repoURL());
    assertThat(out.path()).isEqualTo("apps/web");
    assertThat(out.targetRevision()).isEqualTo("main");
    assertThat(out.directory()).isEmpty();
    assertThat(out.kustomize().orElseThrow().namePrefix()).isEqualTo("p-");
  }

  @Test
  void anEmptyFileOrNoneChangesNothing() throws Exception {
    ApplicationSource s = app("").source();
    assertThat(merged(s)).isSameAs(s);
    Files.writeString(dir().resolve(".argocd-source.yaml"), "");
    assertThat(merged(s)).isSameAs(s);
    // a directory of that name is not a file (Argo CD skips it too)
    Files.delete(dir().resolve(".argocd-source.yaml"));
    Files.createDirectories(dir().resolve(".argocd-source.yaml"));
    assertThat(merged(s)).isSameAs(s);
  }

  @Test
  void refusesABadFileNamingIt() throws Exception {
    ApplicationSource s = app("").source();
    Path file = dir().resolve(".argocd-source-web.yaml");

    Files.writeString(file, "- a list\n");
    assertThatThrownBy(() -> merged(s))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("apps/web/.argocd-source-web.yaml")
        .hasMessageContaining("must be a mapping");

    Files.writeString(file, "helm:\n  valuFiles: [x.yaml]\n");
    assertThatThrownBy(() -> merged(s))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("apps/web/.argocd-source-web.yaml")
        .hasMessageContaining("spec.source.helm.valuFiles");

    Files.writeString(file, "helm: {}\nkustomize: {}\n");
    assertThatThrownBy(() -> merged(s))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("multiple application sources defined: Kustomize,Helm");
  }

  @Test
  void refusesTheFileArgoCdReadsForAnAppOutsideItsNamespaceRatherThanIgnoreIt() throws Exception {
    Files.writeString(dir().resolve(".argocd-source-team-a_web.yaml"), "directory: {}\n");
    ApplicationSource s = app("").source();

    assertThat(SourceOverrides.apply(s, repo, dir(), "web", "", "spec.source", false)).isSameAs(s);
    assertThatThrownBy(
            () -> SourceOverrides.apply(s, repo, dir(), "web", "team-a", "spec.source", false))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("apps/web/.argocd-source-team-a_web.yaml")
        .hasMessageContaining("rename the file");
  }

  @Test
  void refusesAFileThatLeadsOutsideTheRepository(@TempDir Path outside) throws Exception {
    Path secret = outside.resolve("secret.yaml");
    Files.writeString(secret, "directory: {include: a.yaml}\n");
    Files.createSymbolicLink(dir().resolve(".argocd-source.yaml"), secret);

    assertThatThrownBy(() -> merged(app("").source())).isInstanceOf(PathEscapeException.class);
  }
}
