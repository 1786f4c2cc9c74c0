package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.helm.repo.ChartCache;
import io.glidepath.helm.repo.ChartFetcher;
import io.glidepath.helm.repo.ChartSourceException;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import io.glidepath.testkit.oci.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chart dependencies fetched as helm dependency build does, then applied by Helm. */
class ChartDependenciesIT {
  @TempDir Path tmp;
  private ChartRepositoryServer server;
  private Path repo;

  @BeforeEach
  void repository() throws IOException {
    server = ChartRepositoryServer.start();
    for (String v : new String[] {"1.0.0", "1.2.0"}) {
      Path lib = tmp.resolve("lib-" + v);
      write(lib, "Chart.yaml", "apiVersion: v2\nname: lib\nversion: " + v + "\n");
      write(lib, "values.yaml", "size: small\nexports:\n  shared:\n    color: blue\n");
      write(
          lib,
          "templates/cm.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name"
              + " }}\ndata:\n  version: \""
              + v
              + "\"\n  size: {{ .Values.size | quote }}\n");
      server.addChart(lib);
    }
    repo = tmp.resolve("git");
    write(repo, "libs/local/Chart.yaml", "apiVersion: v2\nname: local\nversion: 0.1.0\n");
    write(
        repo,
        "libs/local/templates/secret.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local-{{ .Values.suffix }}\n");
    write(repo, "libs/local/values.yaml", "suffix: x\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static void write(Path dir, String file, String text) throws IOException {
    Path p = dir.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private ChartFetcher fetcher() {
    return ChartFetcher.builder(ChartCache.open(tmp.resolve("cache"))).build();
  }

  private RenderResult render(String app) {
    return HelmRenderer.create()
        .render(RenderRequest.builder(repo, app).releaseName("rel").charts(fetcher()).build());
  }

  private void app(String chartYaml, String values) throws IOException {
    write(repo, "apps/web/Chart.yaml", chartYaml);
    write(repo, "apps/web/values.yaml", values);
    write(
        repo,
        "apps/web/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n"
            + "  color: {{ .Values.color | default \"none\" | quote }}\n");
  }

  @Test
  void fetchesDependenciesFromARepositoryAndFileAndAppliesConditionTagsAliasAndImportValues()
      throws IOException {
    app(
        """
        apiVersion: v2
        name: web
        version: 1.0.0
        dependencies:
          - name: lib
            version: ^1
            repository: %s
            alias: first
            import-values: [shared]
          - name: lib
            version: ^1
            repository: %s
            alias: second
            condition: second.enabled
          - name: lib
            version: ^1
            repository: %s
            alias: extra
            tags: [extras]
          - name: local
            version: 0.1.0
            repository: file://../../libs/local
        """
            .formatted(server.url(), server.url(), server.url()),
        "second:\n  enabled: false\n  size: large\ntags:\n  extras: true\nfirst:\n  size: medium\n");

    RenderResult r = render("apps/web");

    Map<String, Resource> byName = new java.util.HashMap<>();
    r.resources().forEach(x -> byName.put(x.name(), x));
    assertThat(byName).containsKeys("web", "rel-first", "rel-extra", "local-x");
    assertThat(byName).doesNotContainKey("rel-second"); // condition second.enabled: false
    assertThat(byName.get("rel-first").at("/data/version").stringValue()).isEqualTo("1.2.0");
    assertThat(byName.get("rel-first").at("/data/size").stringValue()).isEqualTo("medium");
    // import-values: the child's exports.shared is merged into the parent's values
    assertThat(byName.get("web").at("/data/color").stringValue()).isEqualTo("blue");

    // tags: extras off leaves the tagged dependency out
    write(repo, "apps/web/values.yaml", "tags:\n  extras: false\nsecond:\n  enabled: false\n");
    assertThat(render("apps/web").resources().stream().map(Resource::name))
        .contains("rel-first")
        .doesNotContain("rel-extra");
  }

  @Test
  void usesTheVersionsChartLockPins() throws IOException {
    app(
        """
        apiVersion: v2
        name: web
        version: 1.0.0
        dependencies:
          - name: lib
            version: ^1
            repository: %s
        """
            .formatted(server.url()),
        "{}\n");
    write(
        repo,
        "apps/web/Chart.lock",
        "dependencies:\n- name: lib\n  repository: %s\n  version: 1.0.0\ndigest: sha256:00\ngenerated: \"2026-01-01T00:00:00Z\"\n"
            .formatted(server.url()));
    Resource lib =
        render("apps/web").resources().stream()
            .filter(x -> x.name().equals("rel-lib"))
            .findFirst()
            .orElseThrow();
    assertThat(lib.at("/data/version").stringValue()).isEqualTo("1.0.0");
  }

  @Test
  void refusesALockOutOfSyncAndDependenciesThatCannotBeHad() throws IOException {
    app(
        """
        apiVersion: v2
        name: web
        version: 1.0.0
        dependencies:
          - name: lib
            version: ^1
            repository: %s
        """
            .formatted(server.url()),
        "{}\n");
    write(
        repo,
        "apps/web/Chart.lock",
        "dependencies:\n- name: other\n  repository: x\n  version: 1.0.0\n");
    assertThatThrownBy(() -> render("apps/web"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("Chart.lock is out of sync")
        .hasMessageContaining("lib");
    Files.delete(repo.resolve("apps/web/Chart.lock"));

    app(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - {name: gone, version: 1.0.0}\n",
        "{}\n");
    assertThatThrownBy(() -> render("apps/web"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("dependency gone has no repository");

    app(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n"
            + "  - {name: lib, version: 1.0.0, repository: \"@stable\"}\n",
        "{}\n");
    assertThatThrownBy(() -> render("apps/web"))
        .isInstanceOf(ChartSourceException.class)
        .hasMessageContaining("no repository named \"stable\"");

    app(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n"
            + "  - {name: local, version: 0.1.0, repository: \"file://../../../outside\"}\n",
        "{}\n");
    assertThatThrownBy(() -> render("apps/web"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("local");
  }

  @Test
  void aFetchedDependencysSchemaIsCheckedForReferencesBeforeHelmRuns() throws IOException {
    Path evil = tmp.resolve("evil-2.0.0");
    write(evil, "Chart.yaml", "apiVersion: v2\nname: evil\nversion: 2.0.0\n");
    write(evil, "values.yaml", "size: small\n");
    write(evil, "values.schema.json", "{\"$ref\": \"file:///etc/passwd\"}");
    write(evil, "templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: evil\n");
    server.addChart(evil);
    app(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n"
            + "  - {name: evil, version: 2.0.0, repository: \"%s\"}\n".formatted(server.url()),
        "{}\n");

    // the chart in Git has no schema: only the copy Helm renders, with the fetched dependency, does
    assertThatThrownBy(() -> render("apps/web"))
        .isInstanceOfSatisfying(
            SchemaReferenceException.class,
            e -> {
              assertThat(e.schema())
                  .startsWith("apps/web/charts/evil")
                  .endsWith("values.schema.json");
              assertThat(e.reference()).isEqualTo("file:///etc/passwd");
            })
        .message()
        .doesNotContain("root:");
  }

  @Test
  void withoutAChartSourceAMissingDependencyIsATypedError() throws IOException {
    app(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n"
            + "  - {name: lib, version: 1.0.0, repository: \"%s\"}\n".formatted(server.url()),
        "{}\n");
    assertThatThrownBy(
            () -> HelmRenderer.create().render(RenderRequest.builder(repo, "apps/web").build()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("dependency lib")
        .hasMessageContaining("no chart repositories are configured");
  }

  @Test
  void vendoredDependenciesNeedNoRepository() throws IOException {
    app(
        "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n"
            + "  - {name: lib, version: 1.0.0, repository: \"https://unreachable.invalid\"}\n",
        "{}\n");
    Files.createDirectories(repo.resolve("apps/web/charts"));
    Files.write(
        repo.resolve("apps/web/charts/lib-1.0.0.tgz"),
        ChartRepositoryServer.pack(tmp.resolve("lib-1.0.0")));
    assertThat(
            HelmRenderer.create()
                .render(RenderRequest.builder(repo, "apps/web").releaseName("rel").build())
                .resources()
                .stream()
                .map(Resource::name))
        .contains("rel-lib");
  }

  @Test
  void fetchesADependencyFromAnOciRegistry() throws IOException {
    ExternalTool.require(ExternalTool.DOCKER_REGISTRY);
    try (OciRegistry registry = OciRegistry.start()) {
      for (String v : new String[] {"2.0.0", "2.4.1", "3.0.0"}) {
        Path db = tmp.resolve("db-" + v);
        write(db, "Chart.yaml", "apiVersion: v2\nname: db\nversion: " + v + "\n");
        write(
            db,
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  version: \""
                + v
                + "\"\n");
        registry.pushChart("deps/db", v, ChartRepositoryServer.pack(db));
      }
      app(
          """
          apiVersion: v2
          name: web
          version: 1.0.0
          dependencies:
            - name: db
              version: ~2.0 || ~2.4
              repository: %s/deps
          """
              .formatted(registry.url()),
          "{}\n");
      // the registry speaks plain HTTP: Argo CD's repository Secret says so
      RepoCredentialStore store =
          RepoCredentialStore.of(
              Yaml.readResources(
                  """
                  apiVersion: v1
                  kind: Secret
                  metadata:
                    name: deps
                    labels: {argocd.argoproj.io/secret-type: repository}
                  stringData:
                    type: helm
                    url: %s/deps
                    enableOCI: "true"
                    insecureOCIForceHttp: "true"
                  """
                      .formatted(registry.url()),
                  "deps.yaml"));
      ChartFetcher oci =
          ChartFetcher.builder(ChartCache.open(tmp.resolve("oci-cache")))
              .credentials(store)
              .build();

      RenderResult r =
          HelmRenderer.create()
              .render(
                  RenderRequest.builder(repo, "apps/web").releaseName("rel").charts(oci).build());

      Resource db =
          r.resources().stream().filter(x -> x.name().equals("db")).findFirst().orElseThrow();
      assertThat(db.at("/data/version").stringValue()).isEqualTo("2.4.1");
    }
  }
}
