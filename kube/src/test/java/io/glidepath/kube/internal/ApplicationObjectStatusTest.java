package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.controller.AppSummary;
import io.glidepath.kube.controller.SourceType;
import io.glidepath.kube.sync.SyncResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ApplicationObjectStatusTest {
  private static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: production
        annotations: {glidepath.io/tracking-id: "shop:/ConfigMap:production/settings"}
      data: {level: info}
      """;
  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: production}
      spec:
        ports: [{port: 80}]
      """;

  @Test
  void aResourceOnlyTheClusterHasIsListedAsRequiringPruningAndAMissingOneAsMissing() {
    ResourceSet desired = ResourceSet.of(Yaml.readResources(SERVICE, "git.yaml"));
    ResourceSet live = ResourceSet.of(Yaml.readResources(CONFIG_MAP, "live.yaml"));

    DriftReport drift = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);
    ArrayNode resources =
        ApplicationObjectStatus.resources(
            drift, ApplicationObjectStatus.health(drift, HealthAssessor.ofDefaults()));

    assertThat(resources).hasSize(2);
    JsonNode service = find(resources, "web");
    assertThat(service.path("status").asString()).isEqualTo("OutOfSync");
    assertThat(service.at("/health/status").asString()).isEqualTo("Missing");
    assertThat(service.path("version").asString()).isEqualTo("v1");
    assertThat(service.has("requiresPruning")).isFalse();
    JsonNode configMap = find(resources, "settings");
    assertThat(configMap.path("status").asString()).isEqualTo("OutOfSync");
    assertThat(configMap.path("requiresPruning").asBoolean()).isTrue();
    assertThat(configMap.has("health")).isFalse();
  }

  // ------------------------------------------------------------------ summary

  /**
   * The seed trade-service app as its chart renders with values-production.yaml: the Rollout (the
   * seed's rollout.yaml), its two Services and the Ingress for trade-service.example.com.
   */
  private static final String SEED_RENDERED =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: trade-service, namespace: production}
      spec:
        replicas: 10
        selector: {matchLabels: {app: trade-service}}
        template:
          metadata: {labels: {app: trade-service}}
          spec:
            containers:
              - name: trade-service
                image: registry.example.com/org/trade-service:latest
                ports: [{containerPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: trade-service-stable, namespace: production}
      spec:
        selector: {app: trade-service}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: trade-service-canary, namespace: production}
      spec:
        selector: {app: trade-service}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: trade-service, namespace: production}
      spec:
        ingressClassName: nginx
        rules:
          - host: "trade-service.example.com"
            http:
              paths:
                - path: /
                  pathType: Prefix
                  backend: {service: {name: trade-service-stable, port: {number: 80}}}
      """;

  private static AppSummary summaryOf(String desired, String live, Map<String, String> appLinks) {
    DriftReport drift =
        DriftDetector.of(DiffOptions.ofDefaults())
            .detect(
                ResourceSet.of(Yaml.readResources(desired, "git.yaml")),
                live.isEmpty()
                    ? ResourceSet.empty()
                    : ResourceSet.of(Yaml.readResources(live, "live.yaml")));
    return ApplicationObjectStatus.summary(drift, appLinks);
  }

  @Test
  void theSeedAppsSummaryNamesTheRolloutsImageAndTheIngressUrl() {
    AppSummary summary = summaryOf(SEED_RENDERED, "", Map.of());

    assertThat(summary.images()).containsExactly("registry.example.com/org/trade-service:latest");
    assertThat(summary.externalURLs()).containsExactly("http://trade-service.example.com/");
  }

  @Test
  void imagesOfEveryKindOfPodTemplateAreListedSortedAndOnce() {
    String workloads =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              initContainers: [{name: migrate, image: "reg/migrate:2"}]
              containers: [{name: web, image: "reg/web:1"}, {name: proxy, image: "reg/envoy:1.30"}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec: {template: {spec: {containers: [{name: db, image: "reg/postgres:16"}]}}}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: shop}
        spec: {template: {spec: {containers: [{name: agent, image: "reg/agent:3"}]}}}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: seed, namespace: shop}
        spec: {template: {spec: {containers: [{name: seed, image: "reg/web:1"}]}}}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 * * * *"
          jobTemplate:
            spec: {template: {spec: {containers: [{name: report, image: "reg/report:5"}]}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, namespace: shop}
        spec: {containers: [{name: debug, image: "busybox:1.36"}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {image: "not/an:image"}
        """;

    assertThat(summaryOf(workloads, "", Map.of()).images())
        .containsExactly(
            "busybox:1.36",
            "reg/agent:3",
            "reg/envoy:1.30",
            "reg/migrate:2",
            "reg/postgres:16",
            "reg/report:5",
            "reg/web:1");
  }

  @Test
  void theImageTheClusterRunsIsListedRatherThanTheOneGitNames() {
    String git = SEED_RENDERED.replace("trade-service:latest", "trade-service:1.1.0");

    assertThat(summaryOf(git, SEED_RENDERED, Map.of()).images())
        .containsExactly("registry.example.com/org/trade-service:latest");
  }

  @Test
  void ingressUrlsFollowArgoCdsRulesForTlsPathsAndLoadBalancerHosts() {
    String ingresses =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: secure, namespace: shop}
        spec:
          tls: [{hosts: [shop.example.com], secretName: shop-tls}]
          rules:
            - host: shop.example.com
              http:
                paths:
                  - {path: /api/*, pathType: ImplementationSpecific}
                  - {path: /, pathType: Prefix}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: nameless, namespace: shop}
        spec:
          rules:
            - http:
                paths: [{path: /status, pathType: Exact}]
        status:
          loadBalancer:
            ingress: [{ip: 203.0.113.7}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: quiet
          namespace: shop
          annotations: {argocd.argoproj.io/ignore-default-links: "true"}
        spec:
          rules: [{host: hidden.example.com, http: {paths: [{path: /, pathType: Prefix}]}}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: no-paths, namespace: shop}
        spec:
          rules: [{host: bare.example.com}]
        """;

    assertThat(summaryOf(ingresses, ingresses, Map.of()).externalURLs())
        .containsExactly(
            "http://203.0.113.7/status",
            "https://shop.example.com/",
            "https://shop.example.com/api/");
  }

  @Test
  void linkAnnotationsOfResourcesAndOfTheApplicationAreExternalUrls() {
    String annotated =
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
          annotations:
            link.argocd.argoproj.io/external-link: "https://grafana.example.com/d/web"
            link.argocd.argoproj.io/runbook: "Runbook|https://wiki.example.com/web"
            link.argocd.argoproj.io/evil: "javascript:alert(1)"
            example.com/not-a-link: "https://elsewhere.example.com"
        spec: {ports: [{port: 80}]}
        """;

    assertThat(
            summaryOf(
                    annotated,
                    "",
                    Map.of(
                        "link.argocd.argoproj.io/external-link",
                        "https://status.example.com",
                        "team",
                        "sre"))
                .externalURLs())
        .containsExactly(
            "Runbook|https://wiki.example.com/web",
            "https://grafana.example.com/d/web",
            "https://status.example.com");
  }

  // ------------------------------------------------------------------ comparedTo, source

  private static Application seedApp() throws IOException {
    try (InputStream in =
        ApplicationObjectStatusTest.class.getResourceAsStream("/argocd-app.yaml")) {
      return Application.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "argocd-app.yaml");
    }
  }

  @Test
  void comparedToHoldsTheSeedAppsSourceAndDestinationInTheSpecsShape() throws IOException {
    ObjectNode comparedTo = ApplicationObjectStatus.comparedTo(seedApp());

    assertThat(comparedTo)
        .isEqualTo(
            Yaml.readTree(
                """
                source:
                  repoURL: https://git.example.com/org/gitops-configs.git
                  path: apps/trade-service
                  targetRevision: main
                  helm:
                    valueFiles: [values.yaml, values-production.yaml]
                    parameters: [{name: image.tag}]
                destination:
                  server: https://kubernetes.default.svc
                  namespace: production
                """,
                "expected.yaml"));
  }

  @Test
  void comparedToListsTheIgnoredDifferencesWhenTheAppHasAny() throws IOException {
    Application seed = seedApp();
    Application app =
        new Application(
            seed.name(),
            seed.namespace(),
            seed.labels(),
            seed.annotations(),
            seed.finalizers(),
            seed.project(),
            seed.source(),
            seed.destination(),
            seed.syncPolicy(),
            java.util.List.of(
                IgnoreDifference.of("apps", "Deployment").withJsonPointers("/spec/replicas")));

    assertThat(ApplicationObjectStatus.comparedTo(app).path("ignoreDifferences"))
        .isEqualTo(
            Yaml.readTree(
                "[{group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}]", "x.yaml"));
  }

  // ------------------------------------------------------------------ the observed part

  private static ApplicationObjectStatus.Observation observation(
      ObjectNode comparedTo, Optional<SourceType> type, AppSummary summary) {
    return new ApplicationObjectStatus.Observation(
        "Synced", "rev-1", "Healthy", "2026-01-01T00:00:00Z", null, comparedTo, type, summary);
  }

  @Test
  void anObservationReadBackFromTheObjectEqualsTheOneWritten() throws IOException {
    ApplicationObjectStatus.Observation written =
        observation(
            ApplicationObjectStatus.comparedTo(seedApp()),
            Optional.of(SourceType.HELM),
            new AppSummary(java.util.List.of("reg/web:1"), java.util.List.of("http://x.example")));
    ObjectNode object = Yaml.mapper().createObjectNode();
    object.put("apiVersion", "argoproj.io/v1alpha1");
    object.put("kind", "Application");
    object.putObject("metadata").put("name", "trade-service");
    object.set(
        "status",
        written.toStatus(
            ApplicationObjectStatus.Observation.NONE, Instant.parse("2026-01-01T00:01:00Z")));

    ApplicationObjectStatus.Observation read =
        ApplicationObjectStatus.Observation.of(Resource.of(object));

    assertThat(read).isEqualTo(written);
    assertThat(object.at("/status/sourceType").asString()).isEqualTo("Helm");
    assertThat(object.at("/status/summary/images/0").asString()).isEqualTo("reg/web:1");
    assertThat(object.at("/status/health/lastTransitionTime").asString())
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void whatAnObservationNoLongerHasIsRemovedByTheMergePatch() throws IOException {
    ObjectNode before = ApplicationObjectStatus.comparedTo(seedApp());
    ObjectNode after = before.deepCopy();
    ((ObjectNode) after.path("source")).remove("helm");
    ApplicationObjectStatus.Observation previous =
        observation(
            before,
            Optional.of(SourceType.HELM),
            new AppSummary(java.util.List.of("reg/web:1"), java.util.List.of()));

    ObjectNode patch =
        observation(after, Optional.empty(), AppSummary.EMPTY)
            .toStatus(previous, Instant.parse("2026-01-01T00:01:00Z"));

    assertThat(patch.at("/sync/comparedTo/source/helm").isNull()).isTrue();
    assertThat(patch.at("/sync/comparedTo/source/repoURL").asString())
        .isEqualTo("https://git.example.com/org/gitops-configs.git");
    assertThat(patch.path("sourceType").isNull()).isTrue();
    assertThat(patch.at("/summary/images").isNull()).isTrue();
  }

  @Test
  void theHealthsTransitionTimeMovesOnlyWhenTheHealthChanges() {
    ApplicationObjectStatus.Observation healthy =
        observation(null, Optional.empty(), AppSummary.EMPTY);
    Instant later = Instant.parse("2026-01-01T00:05:00Z");

    assertThat(healthy.withHealth("Healthy", later).healthSince())
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(healthy.withHealth("Degraded", later).healthSince())
        .isEqualTo("2026-01-01T00:05:00Z");
    ApplicationObjectStatus.Observation writtenWithoutTime =
        new ApplicationObjectStatus.Observation(
            "Synced", "rev-1", "Healthy", "", null, null, Optional.empty(), AppSummary.EMPTY);
    assertThat(writtenWithoutTime.withHealth("Healthy", later).healthSince())
        .isEqualTo("2026-01-01T00:05:00Z");
  }

  // ------------------------------------------------------------------ history

  private static Application withHistoryLimit(Application seed, int limit) {
    return new Application(
        seed.name(),
        seed.namespace(),
        seed.labels(),
        seed.annotations(),
        seed.finalizers(),
        seed.project(),
        seed.source(),
        seed.destination(),
        seed.syncPolicy(),
        seed.ignoreDifferences(),
        limit,
        seed.info());
  }

  /** The Application object after {@code syncs} successful automated syncs of {@code app}. */
  private static Resource afterSyncs(Application app, int syncs) {
    ObjectNode object = Yaml.mapper().createObjectNode();
    object.put("apiVersion", "argoproj.io/v1alpha1");
    object.put("kind", "Application");
    object.putObject("metadata").put("name", app.name());
    Resource current = Resource.of(object);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 1; i <= syncs; i++) {
      SyncResult ok = new SyncResult(true, "", 1, t, t.plusSeconds(1), java.util.List.of());
      ObjectNode status =
          ApplicationObjectStatus.afterSync(
              current,
              app,
              "rev-" + i,
              ok,
              observation(
                  ApplicationObjectStatus.comparedTo(app), Optional.empty(), AppSummary.EMPTY),
              ApplicationObjectStatus.Observation.NONE,
              t);
      ObjectNode next = current.bodyCopy();
      next.set("status", status);
      current = Resource.of(next);
      t = t.plusSeconds(60);
    }
    return current;
  }

  @Test
  void historyKeepsTheRevisionHistoryLimitsNumberOfSyncs() throws IOException {
    Application seed = seedApp();
    ArrayNode byDefault = (ArrayNode) afterSyncs(seed, 12).body().at("/status/history");
    assertThat(byDefault).hasSize(10);
    assertThat(byDefault.get(9).path("revision").asString()).isEqualTo("rev-12");

    ArrayNode two =
        (ArrayNode) afterSyncs(withHistoryLimit(seed, 2), 4).body().at("/status/history");
    assertThat(two).hasSize(2);
    assertThat(two.get(0).path("revision").asString()).isEqualTo("rev-3");
    assertThat(two.get(1).path("id").asLong()).as("ids keep counting up").isEqualTo(4);
  }

  @Test
  void withNoHistoryKeptTheLastSucceededOperationTellsTheSyncedRevision() throws IOException {
    Resource object = afterSyncs(withHistoryLimit(seedApp(), 0), 2);
    assertThat(object.body().at("/status/history")).isEmpty();
    assertThat(ApplicationObjectStatus.load(object))
        .contains(new ApplicationObjectStatus.Loaded("rev-2", "rev-2"));
  }

  private static JsonNode find(ArrayNode resources, String name) {
    for (JsonNode r : resources) {
      if (r.path("name").asString().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no " + name + " in " + resources);
  }
}
