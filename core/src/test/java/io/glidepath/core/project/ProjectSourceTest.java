package io.glidepath.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationException;
import io.glidepath.core.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A project is named, never located: its name is a DNS label, and projects come from one place the
 * platform configures (issue 15, items 3 and 4).
 */
class ProjectSourceTest {
  @TempDir Path tmp;

  private static final String PERMISSIVE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AppProject
      metadata: {name: NAME}
      spec:
        sourceRepos: ['*']
        destinations: [{server: '*', namespace: '*'}]
        clusterResourceWhitelist: [{group: '*', kind: '*'}]
        orphanedResources: {warn: true}
      """;

  private static final String STRICT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AppProject
      metadata: {name: NAME}
      spec:
        sourceRepos: ['https://git.example.com/org/gitops-configs.git']
        destinations: [{server: 'https://kubernetes.default.svc', namespace: production}]
      """;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../manifests/evilproj/permissive",
        "projects/prod",
        "/etc/passwd",
        "prod.yaml",
        "..",
        "Prod",
        "-prod",
        "prod-",
        "pröd",
        ""
      })
  void aProjectNameThatIsNotADnsLabelIsRefused(String name) {
    assertThat(ProjectSource.isValidName(name)).isFalse();
    assertThatThrownBy(() -> ProjectSource.defaults().resolve(name))
        .isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("never a path");
  }

  @Test
  void dnsLabelsAreProjectNames() {
    assertThat(ProjectSource.isValidName("default")).isTrue();
    assertThat(ProjectSource.isValidName("team-a-prod2")).isTrue();
    assertThat(ProjectSource.isValidName("a".repeat(63))).isTrue();
    assertThat(ProjectSource.isValidName("a".repeat(64))).isFalse();
  }

  @Test
  void anApplicationNamingItsProjectByPathIsRefusedWithFileLineAndField() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: evil, namespace: argocd}
        spec:
          project: ../manifests/evilproj/permissive
          source: {repoURL: 'https://git.example.com/org/gitops-configs.git', path: apps/evil}
          destination: {server: 'https://kubernetes.default.svc', namespace: production}
        """;

    assertThatThrownBy(() -> Application.parse(yaml, "apps/evil/app.yaml"))
        .isInstanceOfSatisfying(
            ApplicationException.class,
            e -> {
              assertThat(e.path()).isEqualTo("spec.project");
              assertThat(e.origin().source()).isEqualTo("apps/evil/app.yaml");
              assertThat(e.origin().line()).isEqualTo(5);
            })
        .hasMessageContaining("not a Kubernetes name");
  }

  @Test
  void anAppProjectWhoseNameIsAPathIsRefused() {
    assertThatThrownBy(() -> Project.parse(PERMISSIVE.replace("NAME", "../prod"), "p.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("metadata.name");
    assertThatThrownBy(() -> Project.builder("a/b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDirectoryFindsProjectsByMetadataNameNotByFileName() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("platform-projects"));
    // the file called prod.yaml holds project "sandbox"; "prod" lives in another file
    Files.writeString(dir.resolve("prod.yaml"), PERMISSIVE.replace("NAME", "sandbox"));
    Files.writeString(
        dir.resolve("all.yaml"),
        STRICT.replace("NAME", "prod") + "---\n" + STRICT.replace("NAME", "staging"));
    ProjectSource projects = ProjectSource.directory(dir);

    assertThat(projects.resolve("prod").warnsOrphanedResources()).isFalse();
    assertThat(projects.resolve("sandbox").warnsOrphanedResources()).isTrue();
    assertThat(projects.find("staging")).isPresent();
    assertThat(projects.resolve("default").name()).isEqualTo("default");
    assertThatThrownBy(() -> projects.resolve("other"))
        .isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("project other does not exist");
  }

  @Test
  void aDirectoryReadsItsFilesAgainOnEveryFind() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("projects"));
    ProjectSource projects = ProjectSource.directory(dir);
    assertThat(projects.find("prod")).isEmpty();

    Files.writeString(dir.resolve("p.yaml"), STRICT.replace("NAME", "prod"));

    assertThat(projects.find("prod")).isPresent();
  }

  @Test
  void aDirectoryWithTwoProjectsOfOneNameIsAnError() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("projects"));
    Files.writeString(dir.resolve("a.yaml"), STRICT.replace("NAME", "prod"));
    Files.writeString(dir.resolve("b.yaml"), PERMISSIVE.replace("NAME", "prod"));

    assertThatThrownBy(() -> ProjectSource.directory(dir).find("prod"))
        .isInstanceOf(ProjectSourceException.class)
        .hasMessageContaining("project prod is defined twice, in a.yaml and b.yaml");
  }

  @Test
  void aMissingDirectoryIsAnErrorNotTheDefaults() {
    assertThatThrownBy(() -> ProjectSource.directory(tmp.resolve("nope")).find("default"))
        .isInstanceOf(ProjectSourceException.class)
        .hasMessageContaining("does not exist");
  }
}
