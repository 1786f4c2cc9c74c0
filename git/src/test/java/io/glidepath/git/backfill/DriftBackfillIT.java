package io.glidepath.git.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.GitTestSupport;
import io.glidepath.git.Snapshot;
import io.glidepath.kustomize.KustomizeRenderer;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class DriftBackfillIT {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  static final DriftDetector DETECTOR = DriftDetector.of(DiffOptions.ofDefaults());

  static final String WEB =
      """
      # web: the public front end
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: web
        ports:
        - port: 80
          targetPort: 8080
      ---
      # scaled by hand during incidents; see the runbook
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels:
          app: web
      spec:
        replicas: 3   # production default
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: sidecar
              image: envoy:1.28
            - name: app
              image: "registry.example.com/web:1.4.0"   # pinned by CI
              env:
              - name: LOG_LEVEL
                value: info
              - name: DEBUG
                value: "false"
      """;

  static LocalGitServer server;

  @TempDir Path tmp;
  GitCache cache;
  String repo;

  @BeforeAll
  static void start() {
    server = GitTestSupport.startServer();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  GitSource seed(TestInfo info, Map<String, String> files) {
    repo = info.getTestMethod().orElseThrow().getName();
    Path content = GitTestSupport.writeTree(tmp.resolve("content"), files);
    server.seed(repo, content, "initial");
    cache = GitCache.open(tmp.resolve("cache"));
    return cache.source(GitRemote.of(server.url(repo)));
  }

  DriftBackfill backfill(GitSource source) {
    return DriftBackfill.builder(source).author("Ops Bot", "ops@example.com").clock(CLOCK).build();
  }

  static ResourceSet render(GitSource source, CommitId commit, String appPath) {
    try (Snapshot snap = source.snapshot(commit)) {
      RenderRequest request = RenderRequest.builder(snap.root(), appPath).build();
      ManifestRenderer renderer =
          snap.resolve(appPath).resolve("kustomization.yaml").toFile().exists()
              ? KustomizeRenderer.of()
              : ManifestRenderer.directory();
      return renderer.render(request).resources();
    }
  }

  static Resource deployment(ResourceSet set) {
    return set.stream().filter(r -> r.kind().equals("Deployment")).findFirst().orElseThrow();
  }

  /** What an operator did by hand: scale to 15, hotfix the image, drop the DEBUG variable. */
  static Resource hotfix(Resource desired) {
    return desired.edit(
        o -> {
          ((ObjectNode) o.get("spec")).put("replicas", 15);
          ArrayNode containers =
              (ArrayNode) o.get("spec").get("template").get("spec").get("containers");
          for (var c : containers) {
            if (c.get("name").stringValue().equals("app")) {
              ((ObjectNode) c).put("image", "registry.example.com/web:1.4.1-hotfix");
              ArrayNode env = (ArrayNode) c.get("env");
              env.remove(1);
            }
          }
        });
  }

  @Test
  void plainYamlHotfixLandsOnANewBranchThatRendersToTheLiveValues(TestInfo info) {
    GitSource source = seed(info, Map.of("apps/web/web.yaml", WEB, "README.md", "web\n"));
    CommitId main = source.fetchAndResolve("main");
    Resource desired = deployment(render(source, main, "apps/web"));
    Resource live = hotfix(desired);
    ResourceDrift drift = DETECTOR.compare(desired, live);
    assertThat(drift.status()).isEqualTo(DriftStatus.MODIFIED);

    BackfillResult r =
        backfill(source).backfill(BackfillRequest.of("web-app", "main", "apps/web", drift));

    assertThat(r.sourceType()).isEqualTo(SourceType.PLAIN_YAML);
    assertThat(r.branch()).contains("backfill/web-app/deployment-web-20261125T120000Z");
    assertThat(r.changedFiles()).containsExactly("apps/web/web.yaml");
    assertThat(r.refused()).isEmpty();
    assertThat(r.written())
        .extracting(BackfilledField::describe)
        .containsExactlyInAnyOrder(
            "spec.replicas=15",
            "spec.template.spec.containers[name=app].image=registry.example.com/web:1.4.1-hotfix",
            "-spec.template.spec.containers[name=app].env[name=DEBUG]");
    // the original branch is untouched
    assertThat(server.head(repo, "main")).isEqualTo(main.sha());
    // the commit changes exactly the drifted lines
    String branch = r.branch().orElseThrow();
    assertThat(server.show(repo, branch, "apps/web/web.yaml"))
        .isEqualTo(
            WEB.replace("replicas: 3   #", "replicas: 15   #")
                .replace("web:1.4.0\"", "web:1.4.1-hotfix\"")
                .replace("        - name: DEBUG\n          value: \"false\"\n", ""));
    String message = server.git(server.repoDir(repo), "log", "-1", "--format=%B", branch);
    assertThat(message)
        .startsWith("fix(web-app): backfill live spec.replicas=15, ")
        .contains(" of apps/Deployment:/web");
    // the next sync would not undo the hotfix
    source.fetch();
    Resource fixed = deployment(render(source, r.commit().orElseThrow(), "apps/web"));
    assertThat(DETECTOR.compare(fixed, live).status()).isEqualTo(DriftStatus.SYNCED);
  }

  static final Map<String, String> KUSTOMIZE =
      Map.of(
          "apps/web/base/kustomization.yaml",
          "resources:\n- deployment.yaml\n",
          "apps/web/base/deployment.yaml",
          WEB.substring(WEB.indexOf("# scaled")),
          "apps/web/overlays/production/kustomization.yaml",
          """
          # production overlay
          namespace: production
          resources:
          - ../../base
          patches:
          - path: replicas.yaml
          """,
          "apps/web/overlays/production/replicas.yaml",
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            replicas: 10
          """);

  @Test
  void kustomizeHotfixBecomesAnOverlayPatchAndNeverTouchesTheBase(TestInfo info) {
    GitSource source = seed(info, KUSTOMIZE);
    String overlay = "apps/web/overlays/production";
    CommitId main = source.fetchAndResolve("main");
    Resource desired = deployment(render(source, main, overlay));
    assertThat(desired.namespace()).contains("production");
    Resource live = hotfix(desired);
    ResourceDrift drift = DETECTOR.compare(desired, live);

    BackfillResult r =
        backfill(source).backfill(BackfillRequest.of("web-app", "main", overlay, drift));

    assertThat(r.sourceType()).isEqualTo(SourceType.KUSTOMIZE);
    assertThat(r.changedFiles())
        .containsExactlyInAnyOrder(
            overlay + "/glidepath-backfill-deployment-web.yaml", overlay + "/kustomization.yaml");
    String branch = r.branch().orElseThrow();
    assertThat(server.show(repo, branch, overlay + "/kustomization.yaml"))
        .isEqualTo(
            KUSTOMIZE
                .get(overlay + "/kustomization.yaml")
                .replace(
                    "- path: replicas.yaml\n",
                    "- path: replicas.yaml\n- path: glidepath-backfill-deployment-web.yaml\n"));
    assertThat(server.show(repo, branch, "apps/web/base/deployment.yaml"))
        .isEqualTo(KUSTOMIZE.get("apps/web/base/deployment.yaml"));
    assertThat(server.head(repo, "main")).isEqualTo(main.sha());
    String patch = server.show(repo, branch, overlay + "/glidepath-backfill-deployment-web.yaml");
    assertThat(patch).startsWith("# Live values of apps/Deployment:production/web");
    assertThat(Yaml.readTree(patch, "patch"))
        .isEqualTo(
            Yaml.readTree(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 15
                  template:
                    spec:
                      containers:
                      - name: app
                        image: registry.example.com/web:1.4.1-hotfix
                        env:
                        - {name: DEBUG, $patch: delete}
                """,
                "expected"));

    source.fetch();
    Resource fixed = deployment(render(source, r.commit().orElseThrow(), overlay));
    assertThat(DETECTOR.compare(fixed, live).status()).isEqualTo(DriftStatus.SYNCED);
  }

  @Test
  void anOverlayNamePrefixIsTakenOffThePatchTarget(TestInfo info) {
    Map<String, String> files = new java.util.HashMap<>(KUSTOMIZE);
    String overlay = "apps/web/overlays/production";
    files.put(
        overlay + "/kustomization.yaml",
        KUSTOMIZE
            .get(overlay + "/kustomization.yaml")
            .replace("namespace:", "namePrefix: prod-\nnamespace:"));
    GitSource source = seed(info, files);
    CommitId main = source.fetchAndResolve("main");
    Resource desired = deployment(render(source, main, overlay));
    assertThat(desired.name()).isEqualTo("prod-web");
    Resource live = hotfix(desired);

    BackfillResult r =
        backfill(source)
            .backfill(
                BackfillRequest.of("web-app", "main", overlay, DETECTOR.compare(desired, live)));

    assertThat(r.changedFiles()).contains(overlay + "/glidepath-backfill-deployment-prod-web.yaml");
    source.fetch();
    Resource fixed = deployment(render(source, r.commit().orElseThrow(), overlay));
    assertThat(DETECTOR.compare(fixed, live).status()).isEqualTo(DriftStatus.SYNCED);
  }

  @Test
  void aSecondBackfillExtendsThePatchOfTheFirst(TestInfo info) {
    GitSource source = seed(info, KUSTOMIZE);
    String overlay = "apps/web/overlays/production";
    CommitId main = source.fetchAndResolve("main");
    Resource desired = deployment(render(source, main, overlay));
    Resource scaled = desired.edit(o -> ((ObjectNode) o.get("spec")).put("replicas", 15));
    BackfillResult first =
        backfill(source)
            .backfill(
                BackfillRequest.of("web-app", "main", overlay, DETECTOR.compare(desired, scaled)));
    String firstBranch = first.branch().orElseThrow();

    source.fetch();
    Resource desired2 = deployment(render(source, first.commit().orElseThrow(), overlay));
    Resource live = hotfix(desired2);
    BackfillResult second =
        DriftBackfill.builder(source)
            .clock(Clock.offset(CLOCK, java.time.Duration.ofMinutes(5)))
            .build()
            .backfill(
                BackfillRequest.of(
                    "web-app", firstBranch, overlay, DETECTOR.compare(desired2, live)));

    assertThat(second.changedFiles())
        .containsExactly(overlay + "/glidepath-backfill-deployment-web.yaml");
    source.fetch();
    Resource fixed = deployment(render(source, second.commit().orElseThrow(), overlay));
    assertThat(DETECTOR.compare(fixed, live).status()).isEqualTo(DriftStatus.SYNCED);
    assertThat(server.show(repo, second.branch().orElseThrow(), overlay + "/kustomization.yaml"))
        .containsOnlyOnce("glidepath-backfill-deployment-web.yaml");
  }

  /** A drift whose compared live tree has fields the manifest lacks (as managedFields show). */
  static ResourceDrift handMade(Resource desired, Resource live) {
    return ResourceDrift.of(
        desired.key(),
        DriftStatus.MODIFIED,
        java.util.Optional.of(desired),
        java.util.Optional.of(live),
        java.util.Optional.of(desired.body()),
        java.util.Optional.of(live.body()),
        java.util.List.of());
  }

  @Test
  void fieldsAddedByHandAreInsertedAsIndentedLinesAndFlowStyleIsRefused(TestInfo info) {
    String withFlow =
        WEB.replace(
            "  labels:\n    app: web\nspec:\n  replicas",
            "  labels: {app: web}\nspec:\n  replicas");
    GitSource source = seed(info, Map.of("apps/web/web.yaml", withFlow));
    CommitId main = source.fetchAndResolve("main");
    Resource desired = deployment(render(source, main, "apps/web"));
    Resource live =
        desired.edit(
            o -> {
              ((ObjectNode) o.get("metadata").get("labels")).put("incident", "INC-42");
              ObjectNode app =
                  (ObjectNode) o.get("spec").get("template").get("spec").get("containers").get(1);
              app.putObject("resources").putObject("limits").put("memory", "2Gi");
              ((ArrayNode) app.get("env")).addObject().put("name", "GOMAXPROCS").put("value", "4");
            });

    BackfillResult r =
        backfill(source)
            .backfill(BackfillRequest.of("web-app", "main", "apps/web", handMade(desired, live)));

    assertThat(r.refused())
        .extracting(RefusedField::path)
        .containsExactly("metadata.labels.incident");
    assertThat(r.refused().get(0).reason()).contains("flow");
    assertThat(server.show(repo, r.branch().orElseThrow(), "apps/web/web.yaml"))
        .isEqualTo(
            withFlow.replace(
                "          value: \"false\"\n",
                "          value: \"false\"\n"
                    + "        - name: GOMAXPROCS\n"
                    + "          value: \"4\"\n"
                    + "        resources:\n"
                    + "          limits:\n"
                    + "            memory: 2Gi\n"));
    source.fetch();
    Resource fixed = deployment(render(source, r.commit().orElseThrow(), "apps/web"));
    assertThat(fixed.body().at("/spec/template/spec/containers/1"))
        .isEqualTo(live.body().at("/spec/template/spec/containers/1"));
  }

  @Test
  void helmAppsGetAValuesReportAndNoCommit(TestInfo info) {
    GitSource source =
        seed(
            info,
            Map.of(
                "apps/trade-service/Chart.yaml",
                "apiVersion: v2\nname: trade-service\nversion: 1.0.0\n",
                "apps/trade-service/values.yaml",
                "replicaCount: 3\nimage:\n  repository: registry/trade-service\n  tag: abc\n"
                    + "service:\n  port: 8080\n  targetPort: 8080\n",
                "apps/trade-service/values-production.yaml",
                "replicaCount: 10\n"));
    CommitId main = source.fetchAndResolve("main");
    Resource desired =
        Yaml.readResources(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: trade-service, namespace: production}
                spec:
                  replicas: 10
                  template:
                    spec:
                      containers:
                      - name: app
                        image: registry/trade-service:abc
                        ports:
                        - name: http
                          containerPort: 8080
                """,
                "rendered")
            .get(0);
    Resource live =
        desired.edit(
            o -> {
              ((ObjectNode) o.get("spec")).put("replicas", 15);
              ObjectNode c =
                  (ObjectNode) o.get("spec").get("template").get("spec").get("containers").get(0);
              c.put("image", "registry/trade-service:hotfix");
              ((ObjectNode) c.get("ports").get(0)).put("containerPort", 9090);
            });

    BackfillResult r =
        backfill(source)
            .backfill(
                BackfillRequest.of(
                        "trade-service",
                        "main",
                        "apps/trade-service",
                        DETECTOR.compare(desired, live))
                    .withValueFiles(java.util.List.of("values-production.yaml")));

    assertThat(r.sourceType()).isEqualTo(SourceType.HELM);
    assertThat(r.committed()).isFalse();
    assertThat(r.helmValues())
        .extracting(HelmValueMapping::field, HelmValueMapping::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "spec.replicas", HelmValueMapping.Status.UNAMBIGUOUS),
            org.assertj.core.groups.Tuple.tuple(
                "spec.template.spec.containers[name=app].image",
                HelmValueMapping.Status.NOT_DERIVABLE),
            org.assertj.core.groups.Tuple.tuple(
                "spec.template.spec.containers[name=app].ports[name=http].containerPort",
                HelmValueMapping.Status.AMBIGUOUS));
    HelmValueMapping replicas = r.helmValues().get(0);
    assertThat(replicas.valuesKeys()).containsExactly("replicaCount");
    assertThat(replicas.file()).contains("apps/trade-service/values-production.yaml");
    assertThat(replicas.explanation())
        .isEqualTo("set replicaCount from 10 to 15 in apps/trade-service/values-production.yaml");
    assertThat(r.helmValues().get(2).valuesKeys())
        .containsExactly("service.port", "service.targetPort");
    assertThat(server.git(server.repoDir(repo), "for-each-ref", "--format=%(refname)"))
        .doesNotContain("backfill/");
    assertThat(server.head(repo, "main")).isEqualTo(main.sha());
  }

  @Test
  void secretDataIsRefusedAndNeverWrittenWhileOtherFieldsAre(TestInfo info) {
    String secret =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          labels:
            tier: db
        data:
          password: c2VjcmV0   # base64
        """;
    GitSource source = seed(info, Map.of("apps/db/secret.yaml", secret));
    CommitId main = source.fetchAndResolve("main");
    Resource desired = render(source, main, "apps/db").stream().findFirst().orElseThrow();
    Resource live =
        desired.edit(
            o -> {
              ((ObjectNode) o.get("data")).put("password", "aG90Zml4ZWQ=");
              ((ObjectNode) o.get("metadata").get("labels")).put("tier", "database");
            });

    BackfillResult r =
        backfill(source)
            .backfill(BackfillRequest.of("db", "main", "apps/db", DETECTOR.compare(desired, live)));

    assertThat(r.refused()).extracting(RefusedField::path).containsExactly("data.password");
    assertThat(r.refused().get(0).reason()).contains("Sealed Secrets");
    assertThat(r.written())
        .extracting(BackfilledField::describe)
        .containsExactly("metadata.labels.tier=database");
    String written = server.show(repo, r.branch().orElseThrow(), "apps/db/secret.yaml");
    assertThat(written).isEqualTo(secret.replace("tier: db", "tier: database"));
    String log = server.git(server.repoDir(repo), "log", "-1", "--format=%B", r.branch().get());
    assertThat(log).contains("data.password").doesNotContain("aG90Zml4ZWQ").doesNotContain("+++");
  }

  @Test
  void onlySecretChangesCommitNothing(TestInfo info) {
    String secret =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: c2VjcmV0\n";
    GitSource source = seed(info, Map.of("apps/db/secret.yaml", secret));
    CommitId main = source.fetchAndResolve("main");
    Resource desired = render(source, main, "apps/db").stream().findFirst().orElseThrow();
    Resource live = desired.edit(o -> ((ObjectNode) o.get("data")).put("password", "aG90Zml4"));

    BackfillResult r =
        backfill(source)
            .backfill(BackfillRequest.of("db", "main", "apps/db", DETECTOR.compare(desired, live)));

    assertThat(r.committed()).isFalse();
    assertThat(r.branch()).isEmpty();
    assertThat(r.refused()).hasSize(1);
    assertThat(server.git(server.repoDir(repo), "for-each-ref", "--format=%(refname)"))
        .doesNotContain("backfill/");
  }

  @Test
  void aResourceWhoseManifestChangedSinceRenderingIsRefusedWhole(TestInfo info) {
    GitSource source = seed(info, Map.of("apps/web/web.yaml", WEB));
    CommitId main = source.fetchAndResolve("main");
    Resource desired = deployment(render(source, main, "apps/web"));
    ResourceDrift drift = DETECTOR.compare(desired, hotfix(desired));
    server.commitFiles(
        repo, Map.of("apps/web/web.yaml", WEB.substring(WEB.indexOf("# scaled"))), "one doc");

    assertThatThrownBy(
            () -> backfill(source).backfill(BackfillRequest.of("web", "main", "apps/web", drift)))
        .isInstanceOf(BackfillException.class)
        .hasMessageContaining("no document 1");
    assertThat(server.git(server.repoDir(repo), "for-each-ref", "--format=%(refname)"))
        .doesNotContain("backfill/");
  }

  @Test
  void requestsForResourcesThatAreNotModifiedAreMisuse() {
    Resource r =
        Yaml.readResources("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "x").get(0);
    ResourceDrift synced = DETECTOR.compare(r, r);
    assertThatThrownBy(() -> BackfillRequest.of("app", "main", "apps/c", synced))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be MODIFIED");
    assertThat(ResourceKey.of(r).toString()).isEqualTo("ConfigMap:/c");
  }
}
