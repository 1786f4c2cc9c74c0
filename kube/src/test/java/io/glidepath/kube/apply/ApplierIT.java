package io.glidepath.kube.apply;

import static io.glidepath.kube.Fixtures.configMap;
import static io.glidepath.kube.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.ApplyResult.Outcome;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplierIT {
  private static final RequestRetry FAST =
      new RequestRetry(5, Duration.ofMillis(5), 2.0, Duration.ofMillis(50));

  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), FAST);

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private Resource live(String group, String kind, String ns, String name) {
    return cluster.get(new ResourceKey(group, kind, ns, name)).orElseThrow();
  }

  @Test
  void serverSideApplyCreatesResourcesMarkedWithTheAppsTrackingId() {
    Applier applier = Applier.of(cluster, ApplyOptions.ofDefaults());

    ApplyReport report =
        applier.apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

    assertThat(report.succeeded()).isTrue();
    assertThat(report.results()).extracting(ApplyResult::outcome).containsExactly(Outcome.CREATED);
    Resource live = live("", "ConfigMap", "default", "settings");
    assertThat(live.annotations())
        .containsEntry(TrackingId.ANNOTATION, "shop:/ConfigMap:default/settings");
    assertThat(live.body().at("/metadata/managedFields/0/manager").asString())
        .isEqualTo("glidepath");
    // as Argo CD's sync: no server dry run (its pre-sync dry run is client-side)
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.APPLY)
        .extracting(RecordedCall::dryRun)
        .containsExactly(false);
  }

  @Test
  void dryRunFirstSendsTheWholePlanWithDryRunBeforeTheFirstWrite() {
    Applier applier = Applier.of(cluster, ApplyOptions.builder().dryRunFirst(true).build());

    ApplyReport report =
        applier.apply(
            "shop",
            List.of(configMap(null, "a", Map.of("a", "1")), configMap(null, "b", Map.of())));

    assertThat(report.succeeded()).isTrue();
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.APPLY)
        .extracting(RecordedCall::dryRun)
        .containsExactly(true, true, false, false);
  }

  @Test
  void reapplyingTheSameResourcesReportsUnchanged() {
    Applier applier = Applier.of(cluster, ApplyOptions.ofDefaults());
    List<Resource> plan =
        List.of(configMap(null, "settings", Map.of("a", "1")), deployment("web", "web:1", 2));
    applier.apply("shop", plan);
    String version =
        live("apps", "Deployment", "default", "web")
            .body()
            .at("/metadata/resourceVersion")
            .asString();

    ApplyReport again = applier.apply("shop", plan);

    assertThat(again.results()).extracting(ApplyResult::outcome).containsOnly(Outcome.UNCHANGED);
    assertThat(
            live("apps", "Deployment", "default", "web")
                .body()
                .at("/metadata/resourceVersion")
                .asString())
        .isEqualTo(version);
  }

  @Test
  void aResourceTheServerRefusesFailsAloneAsInArgoCd() {
    Applier applier = Applier.of(cluster, ApplyOptions.ofDefaults());

    ApplyReport report =
        applier.apply(
            "shop",
            List.of(
                configMap(null, "fine", Map.of("a", "1")),
                configMap("missing", "doomed", Map.of("a", "1"))));

    assertThat(report.dryRunFailed()).isFalse();
    assertThat(report.succeeded()).isFalse();
    assertThat(report.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.CREATED, Outcome.FAILED);
    assertThat(report.results().get(1).message())
        .contains("namespaces \"missing\"")
        .doesNotContain("dry run");
    assertThat(live("", "ConfigMap", "default", "fine").body().at("/data/a").asString())
        .isEqualTo("1");
  }

  @Test
  void aFailingDryRunWritesNothing() {
    Applier applier = Applier.of(cluster, ApplyOptions.builder().dryRunFirst(true).build());
    embedded.clearRequests();

    ApplyReport report =
        applier.apply(
            "shop",
            List.of(
                configMap(null, "fine", Map.of("a", "1")),
                configMap("missing", "doomed", Map.of("a", "1"))));

    assertThat(report.dryRunFailed()).isTrue();
    assertThat(report.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.SKIPPED, Outcome.FAILED);
    assertThat(report.results().get(1).message()).contains("dry run", "namespaces \"missing\"");
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void createNamespaceCreatesMissingNamespacesFirstWithManagedMetadata() {
    Applier applier =
        Applier.of(
            cluster,
            ApplyOptions.builder()
                .createNamespace(true)
                .namespace("production")
                .namespaceMetadata(Map.of("team", "sre"), Map.of())
                .build());

    ApplyReport report = applier.apply("shop", List.of(configMap(null, "settings", Map.of())));

    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(report.results())
        .extracting(r -> r.key().toString())
        .containsExactly("Namespace:/production", "ConfigMap:production/settings");
    assertThat(live("", "Namespace", "", "production").labels()).containsEntry("team", "sre");
    assertThat(live("", "Namespace", "", "production").annotations())
        .doesNotContainKey(TrackingId.ANNOTATION);
  }

  @Test
  void clientSideApplyRemovesWhatItAppliedBeforeAndKeepsOthersChanges() {
    Applier applier = Applier.of(cluster, ApplyOptions.builder().serverSideApply(false).build());
    applier.apply("shop", List.of(configMap(null, "settings", Map.of("a", "1", "b", "2"))));
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .withName("settings")
        .edit(
            cm -> {
              cm.getMetadata().getLabels().put("added-by", "someone");
              return cm;
            });

    ApplyReport report =
        applier.apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));
    ApplyReport again =
        applier.apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

    assertThat(report.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.CONFIGURED);
    Resource live = live("", "ConfigMap", "default", "settings");
    assertThat(live.body().at("/data").properties()).hasSize(1);
    assertThat(live.labels()).containsEntry("added-by", "someone");
    assertThat(live.annotations()).containsKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(again.results()).extracting(ApplyResult::outcome).containsExactly(Outcome.UNCHANGED);
  }

  @Test
  void replaceWritesTheWholeObject() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1", "b", "2"))));

    ApplyReport report =
        Applier.of(cluster, ApplyOptions.builder().replace(true).build())
            .apply("shop", List.of(configMap(null, "settings", Map.of("c", "3"))));

    assertThat(report.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.CONFIGURED);
    assertThat(live("", "ConfigMap", "default", "settings").body().at("/data").propertyNames())
        .containsExactly("c");
  }

  @Test
  void forceTakesOverFieldsAnotherManagerOwns() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("shop", List.of(deployment("web", "web:1", 2)));
    cluster.client().apps().deployments().inNamespace("default").withName("web").scale(5);

    ApplyReport refused =
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("shop", List.of(deployment("web", "web:1", 2)));
    ApplyReport forced =
        Applier.of(cluster, ApplyOptions.builder().force(true).build())
            .apply("shop", List.of(deployment("web", "web:1", 2)));

    assertThat(refused.dryRunFailed()).isFalse();
    assertThat(refused.failures().get(0).message()).contains("conflict", ".spec.replicas");
    assertThat(forced.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.CONFIGURED);
    assertThat(live("apps", "Deployment", "default", "web").body().at("/spec/replicas").asInt())
        .isEqualTo(2);
  }

  @Test
  void resourcesTrackedByAnotherAppAreRefusedWithFailOnSharedResource() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("billing", List.of(configMap(null, "shared", Map.of("a", "1"))));

    ApplyReport strict =
        Applier.of(cluster, ApplyOptions.builder().failOnSharedResource(true).build())
            .apply("shop", List.of(configMap(null, "shared", Map.of("a", "2"))));
    ApplyReport lenient =
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("shop", List.of(configMap(null, "shared", Map.of("a", "2"))));

    assertThat(strict.failures()).hasSize(1);
    assertThat(strict.failures().get(0).message()).contains("tracked by app 'billing'");
    assertThat(lenient.results().get(0).outcome()).isEqualTo(Outcome.CONFIGURED);
    assertThat(lenient.results().get(0).message()).contains("billing");
  }

  @Test
  void transientFailuresAreRetriedUntilTheyPass() {
    embedded.inject(Fault.status(500).on(Verb.APPLY).times(2));
    embedded.inject(Fault.status(429).on(Verb.GET).times(1));
    embedded.inject(Fault.status(409).on(Verb.APPLY).times(1));

    ApplyReport report =
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(embedded.requests()).extracting(RecordedCall::status).contains(500, 429, 409);
  }

  @Test
  void anUnservedKindFailsThePlanBeforeAnyWrite() {
    Resource unknown =
        Yaml.readResources(
                "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n", "w.yaml")
            .get(0);

    ApplyReport report =
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("shop", List.of(configMap(null, "settings", Map.of()), unknown));

    assertThat(report.succeeded()).isFalse();
    assertThat(report.failures().get(0).message()).contains("does not serve");
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void aPlanMayCreateTheCrdAndTheNamespaceItsOtherResourcesNeed() {
    List<Resource> plan =
        Yaml.readResources(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: team}
            data: {a: "1"}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: team}
            spec: {size: 3}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget}
              versions: [{name: v1, served: true, storage: true}]
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: team}
            """,
            "plan.yaml");

    ApplyReport report = Applier.of(cluster, ApplyOptions.ofDefaults()).apply("shop", plan);

    assertThat(report.succeeded()).as(report.toString()).isTrue();
    assertThat(report.results()).extracting(ApplyResult::outcome).containsOnly(Outcome.CREATED);
    assertThat(cluster.get(new ResourceKey("example.com", "Widget", "team", "w"))).isPresent();
  }

  @Test
  void forceRecreatesAnObjectTheApiRefusesToChange() {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));
    String uid = live("", "ConfigMap", "default", "settings").body().at("/metadata/uid").asString();
    // an immutable field, as the API would answer it, on the apply
    embedded.inject(Fault.status(422).on(Verb.APPLY).times(1));

    ApplyReport report =
        Applier.of(cluster, ApplyOptions.builder().force(true).build())
            .apply("shop", List.of(configMap(null, "settings", Map.of("a", "2"))));

    assertThat(report.results())
        .extracting(ApplyResult::outcome)
        .containsExactly(Outcome.RECREATED);
    Resource recreated = live("", "ConfigMap", "default", "settings");
    assertThat(recreated.body().at("/metadata/uid").asString()).isNotEqualTo(uid);
    assertThat(recreated.body().at("/data/a").asString()).isEqualTo("2");
    assertThat(recreated.annotations()).containsKey(TrackingId.ANNOTATION);
  }

  @Test
  void aRequestThatTimesOutOnTheClientIsRetried() {
    var shortTimeout =
        new io.fabric8.kubernetes.client.ConfigBuilder(embedded.config())
            .withRequestTimeout(2_000) // long enough for a slow CI machine's normal answers
            .build();
    embedded.inject(Fault.timeout(Duration.ofSeconds(8)).on(Verb.APPLY).times(1));
    long start = System.nanoTime();
    try (KubeCluster impatient = KubeCluster.connect(shortTimeout, FAST)) {
      ApplyReport report =
          Applier.of(impatient, ApplyOptions.ofDefaults())
              .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

      assertThat(report.succeeded()).as(report.toString()).isTrue();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    assertThat(embedded.requests()).extracting(RecordedCall::status).contains(504);
  }
}
