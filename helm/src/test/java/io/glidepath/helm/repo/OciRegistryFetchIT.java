package io.glidepath.helm.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.glidepath.core.render.ChartRequest;
import io.glidepath.core.render.FetchedChart;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.helm.repo.ChartSourceException.Reason;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import io.glidepath.testkit.oci.OciRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ChartFetcher against the real CNCF distribution registry (Debian's docker-registry). */
class OciRegistryFetchIT {
  @TempDir Path tmp;
  private OciRegistry registry;

  @BeforeAll
  static void tools() {
    ExternalTool.require(ExternalTool.DOCKER_REGISTRY);
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private Path chart(String name, String version) throws IOException {
    Path dir = tmp.resolve("src").resolve(name + "-" + version).resolve(name);
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(
        dir.resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    Files.writeString(dir.resolve("values.yaml"), "greeting: hello from " + version + "\n");
    Files.writeString(
        dir.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: {{ .Values.greeting | quote }}\n");
    return dir;
  }

  private ChartFetcher fetcher(RepoCredentialStore store) {
    return ChartFetcher.builder(ChartCache.open(tmp.resolve("cache"))).credentials(store).build();
  }

  /** Argo CD's repository Secret for the registry: plain HTTP, optionally with credentials. */
  private RepoCredentialStore secret(String url, String credentials) {
    return RepoCredentialStore.of(
        Yaml.readResources(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: registry
              namespace: argocd
              labels: {argocd.argoproj.io/secret-type: repository}
            stringData:
              type: helm
              url: %s
              enableOCI: "true"
              insecureOCIForceHttp: "true"
            %s
            """
                .formatted(url, credentials),
            "registry.yaml"));
  }

  @Test
  void fetchesATagADigestAndTheHighestTagSatisfyingAConstraint() throws IOException {
    registry = OciRegistry.start();
    for (String v : new String[] {"1.0.0", "1.3.0", "2.0.0", "1.4.0+build.7"}) {
      registry.pushChart(
          "charts/demo", v.replace('+', '_'), ChartRepositoryServer.pack(chart("demo", v)));
    }
    String repo = registry.url() + "/charts";
    ChartFetcher f = fetcher(secret(repo, ""));

    FetchedChart tag = f.fetch(new ChartRequest(repo, "demo", "1.3.0", false));
    assertThat(tag.dir().resolve("values.yaml")).hasContent("greeting: hello from 1.3.0");

    FetchedChart constraint = f.fetch(new ChartRequest(repo, "demo", "^1", false));
    assertThat(constraint.version()).isEqualTo("1.4.0+build.7");
    assertThatThrownBy(() -> f.fetch(new ChartRequest(repo, "demo", "^9", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_VERSION))
        .hasMessageContaining(repo + " demo ^9")
        .hasMessageContaining("2.0.0");
    assertThatThrownBy(() -> f.fetch(new ChartRequest(repo, "nothing-here", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessageContaining(repo + " nothing-here 1.0.0");

    String digest =
        registry.pushChart(
            "charts/demo", "moving", ChartRepositoryServer.pack(chart("demo", "3.0.0")));
    FetchedChart byDigest = f.fetch(new ChartRequest(repo, "demo", digest, false));
    assertThat(byDigest.dir().resolve("values.yaml")).hasContent("greeting: hello from 3.0.0");

    // Argo CD's older form: the registry path without a scheme, OCI from the repository Secret
    String bare = registry.host() + "/charts";
    FetchedChart enableOci =
        fetcher(secret(bare, "")).fetch(new ChartRequest(bare, "demo", "2.0.0", false));
    assertThat(enableOci.version()).isEqualTo("2.0.0");
  }

  @Test
  void fetchesAChartThatHelmItselfPushed() throws IOException {
    registry = OciRegistry.start();
    Path packaged = Files.createDirectories(tmp.resolve("packaged"));
    new Helm(chart("pushed", "0.4.2")).packageIt().withDestination(packaged).call();
    Path archive = packaged.resolve("pushed-0.4.2.tgz");
    Helm.push()
        .withChart(archive)
        .withRemote(URI.create(registry.url() + "/helm"))
        .plainHttp()
        .call();
    String repo = registry.url() + "/helm";

    FetchedChart c =
        fetcher(secret(repo, "")).fetch(new ChartRequest(repo, "pushed", "~0.4", false));

    assertThat(c.version()).isEqualTo("0.4.2");
    assertThat(c.digest()).isEqualTo(ChartCache.sha256(Files.readAllBytes(archive)));
    assertThat(c.dir().resolve("Chart.yaml")).exists();
  }

  @Test
  void authenticatesWithBasicCredentialsAndSaysWhenTheyAreMissing() throws IOException {
    registry = OciRegistry.builder().basicAuth().start();
    registry.pushChart("charts/demo", "1.0.0", ChartRepositoryServer.pack(chart("demo", "1.0.0")));
    String repo = registry.url() + "/charts";
    ChartRequest request = new ChartRequest(repo, "demo", "1.0.0", false);

    assertThatThrownBy(() -> fetcher(secret(repo, "")).fetch(request))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
        .hasMessageContaining("needs credentials");
    String wrong = "  username: " + OciRegistry.USER + "\n  password: not-the-password\n";
    assertThatThrownBy(() -> fetcher(secret(repo, wrong)).fetch(request))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
        .hasMessageNotContaining("not-the-password");

    String right =
        "  username: " + OciRegistry.USER + "\n  password: " + OciRegistry.PASSWORD + "\n";
    assertThat(fetcher(secret(repo, right)).fetch(request).version()).isEqualTo("1.0.0");
  }

  @Test
  void getsABearerTokenFromTheRealmTheChallengeNames() throws IOException {
    registry = OciRegistry.builder().tokenAuth().start();
    registry.pushChart("charts/demo", "1.0.0", ChartRepositoryServer.pack(chart("demo", "1.0.0")));
    registry.pushChart("charts/demo", "1.1.0", ChartRepositoryServer.pack(chart("demo", "1.1.0")));
    String repo = registry.url() + "/charts";

    assertThatThrownBy(
            () -> fetcher(secret(repo, "")).fetch(new ChartRequest(repo, "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
        .hasMessageContaining("needs credentials");

    String creds =
        "  username: " + OciRegistry.USER + "\n  password: " + OciRegistry.PASSWORD + "\n";
    ChartFetcher f = fetcher(secret(repo, creds));
    // the tag list, the manifest and the blob, each behind the token challenge
    assertThat(f.fetch(new ChartRequest(repo, "demo", "^1", false)).version()).isEqualTo("1.1.0");
  }

  @Test
  void refusesAManifestThatIsNotAHelmChart() throws IOException {
    registry = OciRegistry.start();
    String config = registry.pushBlob("charts/image", "{}".getBytes(StandardCharsets.UTF_8));
    String layer =
        registry.pushBlob("charts/image", "not a chart".getBytes(StandardCharsets.UTF_8));
    String imageManifest =
        """
        {"schemaVersion": 2, "mediaType": "%s",
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": 2},
         "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": 11}]}
        """
            .formatted(OciRegistry.MANIFEST, config, layer);
    registry.pushManifest(
        "charts/image",
        "1.0.0",
        OciRegistry.MANIFEST,
        imageManifest.getBytes(StandardCharsets.UTF_8));
    String repo = registry.url() + "/charts";

    assertThatThrownBy(
            () -> fetcher(secret(repo, "")).fetch(new ChartRequest(repo, "image", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_MEDIA_TYPE))
        .hasMessageContaining("not a Helm chart")
        .hasMessageContaining("application/vnd.oci.image.config.v1+json");
    assertThat(tmp.resolve("cache/archives")).isEmptyDirectory();
  }

  @Test
  void refusesAnUnsafeChartLayerAndCachesNothing() throws IOException {
    registry = OciRegistry.start();
    registry.pushChart(
        "charts/evil",
        "1.0.0",
        OciRegistry.tarGz(
            Map.of(
                "evil/Chart.yaml",
                "apiVersion: v2\nname: evil\nversion: 1.0.0\n",
                "evil/../../x",
                "y")));
    String repo = registry.url() + "/charts";
    assertThatThrownBy(
            () -> fetcher(secret(repo, "")).fetch(new ChartRequest(repo, "evil", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARCHIVE));
    assertThat(tmp.resolve("cache/archives")).isEmptyDirectory();
    assertThatThrownBy(
            () ->
                fetcher(secret(repo, "")).fetch(new ChartRequest(repo, "missing", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThatThrownBy(
            () -> fetcher(secret(repo, "")).fetch(new ChartRequest(repo, "evil", "^2", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_VERSION));
  }
}
