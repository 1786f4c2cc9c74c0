package io.glidepath.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EmbeddedClusterIT {
  private static final String CM = "/api/v1/namespaces/default/configmaps";
  private static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments";

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster cluster =
      EmbeddedCluster.builder()
          .clock(clock)
          .manualController()
          .readyDelay(Duration.ofSeconds(10))
          .start();
  private final Http http = new Http(cluster);

  @AfterEach
  void close() {
    cluster.close();
  }

  private static String deployment(String image, int replicas) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"app","image":"%s","ports":[{"containerPort":8080}]}]}}}}
        """
        .formatted(replicas, image);
  }

  @Test
  void serverSideApplyCreatesMissingObjectAndRecordsTheManager() {
    var answer =
        http.apply(
            CM + "/settings",
            "glidepath",
            false,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n");

    assertThat(answer.status()).isEqualTo(201);
    JsonNode stored = http.get(CM + "/settings").body();
    assertThat(stored.at("/data/a").asString()).isEqualTo("1");
    assertThat(stored.at("/metadata/managedFields/0/manager").asString()).isEqualTo("glidepath");
    assertThat(stored.at("/metadata/managedFields/0/operation").asString()).isEqualTo("Apply");
    assertThat(stored.at("/metadata/managedFields/0/fieldsV1/f:data/f:a").isObject()).isTrue();
  }

  @Test
  void aWriteThatChangesNothingKeepsTheVersionAndAChangeMovesIt() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    String version = http.get(DEPLOY + "/web").body().at("/metadata/resourceVersion").asString();
    clock.advance(Duration.ofMinutes(1)); // a later write: its managedFields time differs

    var again = http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    var samePatch =
        http.send(
            "PATCH",
            DEPLOY + "/web",
            "application/merge-patch+json",
            "{\"spec\":{\"replicas\":2,\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}}}}}");

    assertThat(again.body().at("/metadata/resourceVersion").asString()).isEqualTo(version);
    assertThat(samePatch.body().at("/metadata/resourceVersion").asString()).isEqualTo(version);
    var changed =
        http.send(
            "PATCH",
            DEPLOY + "/web",
            "application/merge-patch+json",
            "{\"metadata\":{\"annotations\":{\"note\":\"x\"}}}");
    assertThat(changed.body().at("/metadata/resourceVersion").asString()).isNotEqualTo(version);
    assertThat(changed.body().at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  void applyMergesContainersByNameAndKeepsFieldsOfOtherManagers() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    http.send(
        "PATCH",
        DEPLOY + "/web?fieldManager=sidecar-injector",
        "application/strategic-merge-patch+json",
        """
        {"spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"envoy:1"}]}}}}
        """);

    var answer = http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:2", 2));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode containers = answer.body().at("/spec/template/spec/containers");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).get("image").asString()).isEqualTo("web:2");
    assertThat(containers.get(1).get("name").asString()).isEqualTo("proxy");
    assertThat(answer.body().at("/metadata/generation").asLong()).isEqualTo(3);
  }

  @Test
  void applyRemovesFieldsTheManagerStoppedApplying() {
    http.apply(
        CM + "/settings",
        "glidepath",
        false,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"1\",\"b\":\"2\"}}");

    var answer =
        http.apply(
            CM + "/settings",
            "glidepath",
            false,
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"1\"}}");

    assertThat(answer.body().at("/data").properties()).hasSize(1);
    assertThat(answer.body().at("/data/b").isMissingNode()).isTrue();
  }

  @Test
  void applyConflictsWithAnotherManagersFieldUnlessForced() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    http.send(
        "PATCH",
        DEPLOY + "/web?fieldManager=kubectl-scale",
        "application/merge-patch+json",
        "{\"spec\":{\"replicas\":5}}");

    var refused = http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().at("/details/causes/0/field").asString()).isEqualTo(".spec.replicas");
    assertThat(refused.body().at("/message").asString()).contains("kubectl-scale");
    assertThat(http.get(DEPLOY + "/web").body().at("/spec/replicas").asInt()).isEqualTo(5);

    var forced = http.apply(DEPLOY + "/web", "glidepath", true, deployment("web:1", 2));
    assertThat(forced.status()).isEqualTo(200);
    assertThat(forced.body().at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void applyWithTheSameValueAsAnotherManagerSharesTheFieldWithoutConflict() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    http.send(
        "PATCH",
        DEPLOY + "/web?fieldManager=kubectl-scale",
        "application/merge-patch+json",
        "{\"spec\":{\"replicas\":5}}");

    assertThat(http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 5)).status())
        .isEqualTo(200);
  }

  @Test
  void mergePatchReplacesListsAndNullDeletesPerRfc7386() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 1));

    var answer =
        http.send(
            "PATCH",
            DEPLOY + "/web",
            "application/merge-patch+json",
            """
            {"metadata":{"labels":{"app":null}},
             "spec":{"template":{"spec":{"containers":[{"name":"other","image":"x:1"}]}}}}
            """);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().at("/spec/template/spec/containers")).hasSize(1);
    assertThat(answer.body().at("/spec/template/spec/containers/0/name").asString())
        .isEqualTo("other");
    assertThat(answer.body().at("/metadata/labels/app").isMissingNode()).isTrue();
  }

  @Test
  void dryRunAnswersButPersistsNothing() {
    http.apply(CM + "/settings?dryRun=All", "glidepath", false, "{\"data\":{\"a\":\"1\"}}");
    http.send(
        "POST",
        CM + "?dryRun=All",
        "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\"}}");
    http.apply(CM + "/kept", "glidepath", false, "{\"data\":{\"a\":\"1\"}}");
    cluster.clearRequests();

    var patched =
        http.send(
            "PATCH",
            CM + "/kept?dryRun=All",
            "application/merge-patch+json",
            "{\"data\":{\"a\":\"2\"}}");
    http.send("DELETE", CM + "/kept?dryRun=All", null, null);

    assertThat(patched.body().at("/data/a").asString()).isEqualTo("2");
    assertThat(http.get(CM + "/settings").status()).isEqualTo(404);
    assertThat(http.get(CM + "/other").status()).isEqualTo(404);
    assertThat(http.get(CM + "/kept").body().at("/data/a").asString()).isEqualTo("1");
    assertThat(cluster.writes()).isEmpty();
    assertThat(cluster.requests()).anyMatch(c -> c.verb() == Verb.DELETE && c.dryRun());
  }

  @Test
  void objectsCannotBeCreatedInAMissingNamespace() {
    var answer =
        http.apply("/api/v1/namespaces/absent/configmaps/x", "glidepath", false, "{\"data\":{}}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().at("/message").asString()).contains("namespaces \"absent\" not found");
  }

  @Test
  void staleResourceVersionIsRefused() {
    http.apply(CM + "/settings", "glidepath", false, "{\"data\":{\"a\":\"1\"}}");
    String stale = http.get(CM + "/settings").body().at("/metadata/resourceVersion").asString();
    http.apply(CM + "/settings", "glidepath", false, "{\"data\":{\"a\":\"2\"}}");

    var answer =
        http.send(
            "PUT",
            CM + "/settings",
            "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
                + "\"resourceVersion\":\""
                + stale
                + "\"},\"data\":{\"a\":\"3\"}}");

    assertThat(answer.status()).isEqualTo(409);
  }

  @Test
  void aDeleteWhosePreconditionsDoNotMatchIsRefused() {
    http.apply(CM + "/settings", "glidepath", false, "{\"data\":{\"a\":\"1\"}}");
    JsonNode first = http.get(CM + "/settings").body().at("/metadata");
    http.apply(CM + "/settings", "glidepath", false, "{\"data\":{\"a\":\"2\"}}");
    String stale = first.at("/resourceVersion").asString();
    String uid = first.at("/uid").asString();

    var staleVersion =
        http.send(
            "DELETE",
            CM + "/settings",
            "application/json",
            "{\"preconditions\":{\"resourceVersion\":\"" + stale + "\"}}");
    var otherUid =
        http.send(
            "DELETE",
            CM + "/settings",
            "application/json",
            "{\"preconditions\":{\"uid\":\"not-" + uid + "\"}}");

    assertThat(staleVersion.status()).isEqualTo(409);
    assertThat(staleVersion.body().at("/message").asString())
        .contains("Precondition failed: ResourceVersion in precondition: " + stale);
    assertThat(otherUid.status()).isEqualTo(409);
    assertThat(http.get(CM + "/settings").status()).isEqualTo(200);
    String current = http.get(CM + "/settings").body().at("/metadata/resourceVersion").asString();
    var matching =
        http.send(
            "DELETE",
            CM + "/settings",
            "application/json",
            "{\"preconditions\":{\"uid\":\""
                + uid
                + "\",\"resourceVersion\":\""
                + current
                + "\"}}");
    assertThat(matching.status()).isEqualTo(200);
    assertThat(http.get(CM + "/settings").status()).isEqualTo(404);
  }

  @Test
  void deploymentGetsAReplicaSetThatBecomesReadyAfterTheDelay() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 3));

    cluster.reconcile();
    JsonNode rsList = http.get("/apis/apps/v1/namespaces/default/replicasets").body();
    assertThat(rsList.get("items")).hasSize(1);
    JsonNode rs = rsList.get("items").get(0);
    assertThat(rs.at("/metadata/name").asString()).startsWith("web-");
    assertThat(rs.at("/metadata/ownerReferences/0/kind").asString()).isEqualTo("Deployment");
    assertThat(http.get(DEPLOY + "/web").body().at("/status/availableReplicas").asInt()).isZero();

    clock.advance(Duration.ofSeconds(10));
    cluster.reconcile();

    JsonNode status = http.get(DEPLOY + "/web").body().get("status");
    assertThat(status.get("availableReplicas").asInt()).isEqualTo(3);
    assertThat(status.get("updatedReplicas").asInt()).isEqualTo(3);
    assertThat(status.get("observedGeneration").asLong()).isEqualTo(1);
    assertThat(status.at("/conditions/1/reason").asString()).isEqualTo("NewReplicaSetAvailable");
  }

  @Test
  void newTemplateGetsANewReplicaSetAndTheOldOneIsScaledDownOnceReady() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    cluster.reconcile();
    clock.advance(Duration.ofSeconds(10));
    cluster.reconcile();

    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:2", 2));
    cluster.reconcile();
    assertThat(http.get(DEPLOY + "/web").body().at("/status/updatedReplicas").asInt()).isEqualTo(2);
    assertThat(http.get(DEPLOY + "/web").body().at("/status/conditions/1/reason").asString())
        .isEqualTo("ReplicaSetUpdated");

    clock.advance(Duration.ofSeconds(10));
    cluster.reconcile();
    cluster.reconcile();

    JsonNode items = http.get("/apis/apps/v1/namespaces/default/replicasets").body().get("items");
    assertThat(items).hasSize(2);
    assertThat(items)
        .extracting(i -> i.at("/spec/replicas").asInt())
        .containsExactlyInAnyOrder(0, 2);
    assertThat(http.get(DEPLOY + "/web").body().at("/status/conditions/1/reason").asString())
        .isEqualTo("NewReplicaSetAvailable");
  }

  @Test
  void unchangedWorkloadsCauseNoControllerWrites() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 2));
    cluster.reconcile();
    clock.advance(Duration.ofSeconds(10));
    cluster.reconcile();
    cluster.reconcile();
    String version = http.get(DEPLOY + "/web").body().at("/metadata/resourceVersion").asString();

    cluster.reconcile();

    assertThat(http.get(DEPLOY + "/web").body().at("/metadata/resourceVersion").asString())
        .isEqualTo(version);
  }

  @Test
  void deletingADeploymentDeletesItsReplicaSetsUnlessOrphaned() {
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 1));
    cluster.reconcile();

    http.send(
        "DELETE",
        DEPLOY + "/web",
        "application/json",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\"}");

    assertThat(http.get(DEPLOY + "/web").status()).isEqualTo(404);
    assertThat(http.get("/apis/apps/v1/namespaces/default/replicasets").body().get("items"))
        .isEmpty();

    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 1));
    cluster.reconcile();
    http.send("DELETE", DEPLOY + "/web?propagationPolicy=Orphan", null, null);
    JsonNode orphans = http.get("/apis/apps/v1/namespaces/default/replicasets").body();
    assertThat(orphans.get("items")).hasSize(1);
    assertThat(orphans.at("/items/0/metadata/ownerReferences").isMissingNode()).isTrue();
  }

  @Test
  void evictingAPodDeletesItAndAnAbsentPodIsNotFound() {
    String pods = "/api/v1/namespaces/default/pods";
    http.send(
        "POST",
        pods,
        "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"web:1\"}]}}");
    String eviction =
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\","
            + "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"default\"}}";

    assertThat(http.send("POST", pods + "/web-1/eviction", "application/json", eviction).status())
        .isEqualTo(201);
    assertThat(http.get(pods + "/web-1").status()).isEqualTo(404);
    assertThat(http.send("POST", pods + "/web-1/eviction", "application/json", eviction).status())
        .isEqualTo(404);
  }

  @Test
  void setBasedLabelSelectorsFilterLists() {
    for (String env : new String[] {"prod", "staging", "dev"}) {
      http.apply(
          CM + "/" + env,
          "glidepath",
          false,
          "{\"metadata\":{\"labels\":{\"env\":\"" + env + "\"}},\"data\":{}}");
    }
    http.apply(CM + "/unlabelled", "glidepath", false, "{\"data\":{}}");

    JsonNode in = http.get(CM + "?labelSelector=env%20in%20(prod,staging)").body();
    JsonNode notExists = http.get(CM + "?labelSelector=!env").body();

    assertThat(in.get("items"))
        .extracting(i -> i.at("/metadata/name").asString())
        .containsExactlyInAnyOrder("prod", "staging");
    assertThat(notExists.get("items"))
        .extracting(i -> i.at("/metadata/name").asString())
        .containsExactly("unlabelled");
    assertThat(in.get("kind").asString()).isEqualTo("ConfigMapList");
  }

  @Test
  void aResourceVersionInAnAppliedObjectIsAPrecondition() {
    http.apply(CM + "/settings", "glidepath", false, "{\"data\":{\"a\":\"1\"}}");
    String seen = http.get(CM + "/settings").body().at("/metadata/resourceVersion").asString();
    String withVersion = "{\"metadata\":{\"resourceVersion\":\"%s\"},\"data\":{\"a\":\"%s\"}}";

    assertThat(http.apply(CM + "/settings", "glidepath", false, withVersion.formatted(seen, "2")))
        .extracting(Http.Answer::status)
        .isEqualTo(200);
    // the object changed since: the same precondition is now stale
    var stale = http.apply(CM + "/settings", "glidepath", false, withVersion.formatted(seen, "3"));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body().path("reason").asString()).isEqualTo("Conflict");
    assertThat(http.get(CM + "/settings").body().at("/data/a").asString()).isEqualTo("2");
  }

  @Test
  void faultsCanHitOneClientByUserAgentAndTheLogNamesIt() {
    cluster.inject(Fault.status(503).fromUserAgents("replica-a"));
    int other = http.get(CM + "/missing").status();
    assertThat(other).isEqualTo(404); // the test client's User-Agent is glidepath-test/1.0
    io.fabric8.kubernetes.client.Config config = cluster.config();
    config.setUserAgent("replica-a");
    config.setRequestRetryBackoffLimit(0);
    try (var client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("missing").get())
          .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
    }
    assertThat(cluster.requests())
        .filteredOn(c -> c.userAgent().equals("replica-a"))
        .extracting(RecordedCall::status)
        .containsOnly(503);
    assertThat(cluster.requests())
        .filteredOn(c -> c.userAgent().equals("glidepath-test/1.0"))
        .extracting(RecordedCall::status)
        .containsOnly(404);
  }

  @Test
  void theRequestLogNamesTheObjectOfACreateFromItsBody() {
    var client = cluster.client();
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("created")
                .endMetadata()
                .build())
        .create();
    client.configMaps().inNamespace("default").withName("created").get();
    client.configMaps().inNamespace("default").list();
    List<RecordedCall> calls =
        cluster.requests().stream().filter(c -> c.kind().equals("ConfigMap")).toList();
    assertThat(calls)
        .extracting(RecordedCall::verb)
        .containsExactly(Verb.CREATE, Verb.GET, Verb.LIST);
    assertThat(calls).extracting(RecordedCall::name).containsExactly("", "created", "");
    assertThat(calls)
        .extracting(RecordedCall::objectName)
        .containsExactly("created", "created", "");
  }

  @Test
  void injectedFaultsHitOnlyMatchingRequestsAndAreLogged() {
    cluster.inject(Fault.status(500).on(Verb.APPLY).forKinds("ConfigMap").times(2));
    cluster.inject(Fault.status(429).on(Verb.GET).forKinds("Secret"));

    int first = http.apply(CM + "/a", "glidepath", false, "{\"data\":{}}").status();
    int second = http.apply(CM + "/a", "glidepath", false, "{\"data\":{}}").status();
    int third = http.apply(CM + "/a", "glidepath", false, "{\"data\":{}}").status();
    int secret = http.get("/api/v1/namespaces/default/secrets/s").status();
    int deployment = http.apply(DEPLOY + "/web", "glidepath", false, deployment("a:1", 1)).status();

    assertThat(new int[] {first, second, third, secret, deployment})
        .containsExactly(500, 500, 201, 429, 201);
    assertThat(cluster.requests()).extracting(RecordedCall::status).contains(500, 429);
    assertThat(cluster.writes()).hasSize(2);
  }

  @Test
  void timeoutFaultAnswersLateAndDoesNotPerformTheRequest() {
    cluster.inject(Fault.timeout(Duration.ofMillis(300)).on(Verb.APPLY));
    long start = System.nanoTime();

    int status = http.apply(CM + "/a", "glidepath", false, "{\"data\":{}}").status();

    assertThat(status).isEqualTo(504);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
    cluster.clearFaults();
    assertThat(http.get(CM + "/a").status()).isEqualTo(404);
  }

  @Test
  void latencyDelaysTheAnswerButPerformsTheRequest() {
    cluster.inject(Fault.latency(Duration.ofMillis(300)).on(Verb.APPLY).forKinds("ConfigMap"));
    long start = System.nanoTime();

    int status = http.apply(CM + "/slow", "glidepath", false, "{\"data\":{}}").status();

    assertThat(status).isEqualTo(201);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
    assertThat(http.get(CM + "/slow").status()).isEqualTo(200);
  }

  @Test
  void rateBasedFaultsAreReproducibleForASeed() {
    int[][] runs = new int[2][];
    for (int run = 0; run < 2; run++) {
      try (EmbeddedCluster c = EmbeddedCluster.builder().seed(42).manualController().start()) {
        c.inject(Fault.status(503).withRate(0.5));
        Http h = new Http(c);
        runs[run] = new int[20];
        for (int i = 0; i < 20; i++) {
          runs[run][i] = h.get(CM + "/x").status();
        }
      }
    }
    assertThat(runs[0]).isEqualTo(runs[1]);
    assertThat(runs[0]).contains(503, 404);
  }

  @Test
  void discoveryListsBuiltInKindsAndTheProgressiveDeliveryCrds() {
    JsonNode groups = http.get("/apis").body();
    JsonNode argo = http.get("/apis/argoproj.io/v1alpha1").body();

    assertThat(groups.get("groups"))
        .extracting(g -> g.get("name").asString())
        .contains(
            "apps",
            "argoproj.io",
            "networking.istio.io",
            "gateway.networking.k8s.io",
            "split.smi-spec.io");
    assertThat(argo.get("resources"))
        .extracting(r -> r.get("kind").asString())
        .contains("Rollout", "AnalysisTemplate", "AnalysisRun");
    assertThat(http.get("/version").body().get("minor").asString()).isEqualTo("32");
  }

  @Test
  void customResourcesCanBeStoredAndListed() {
    var answer =
        http.apply(
            "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/web",
            "glidepath",
            false,
            "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"spec\":{\"replicas\":3}}");

    assertThat(answer.status()).isEqualTo(201);
    JsonNode list = http.get("/apis/argoproj.io/v1alpha1/namespaces/default/rollouts").body();
    assertThat(list.get("items")).hasSize(1);
  }

  @Test
  void fabric8ClientCanReadWriteAndWatch() throws Exception {
    try (var client = cluster.client()) {
      var events = new java.util.concurrent.LinkedBlockingQueue<String>();
      var watch =
          client
              .configMaps()
              .inNamespace("default")
              .watch(
                  new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(
                        Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {
                      events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                  });
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("watched")
                  .endMetadata()
                  .addToData("k", "v")
                  .build())
          .serverSideApply();

      assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ADDED watched");
      assertThat(client.configMaps().inNamespace("default").withName("watched").get().getData())
          .containsEntry("k", "v");
      watch.close();
    }
  }

  @Test
  void aCrdCreatedThroughTheApiIsServedAndDiscoverable() {
    var created =
        http.send(
            "POST",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            "application/json",
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
              "names":{"kind":"Widget","plural":"widgets","singular":"widget"},
              "versions":[{"name":"v1","served":true,"storage":true}]}}
            """);

    var widget =
        http.apply(
            "/apis/example.com/v1/namespaces/default/widgets/w",
            "glidepath",
            false,
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"spec\":{\"size\":3}}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(widget.status()).isEqualTo(201);
    assertThat(http.get("/apis/example.com/v1").body().get("resources"))
        .extracting(r -> r.get("kind").asString())
        .contains("Widget");
  }

  @Test
  void jobsCompleteAfterTheDelayAndFailWhenAnnotatedSo() {
    String job =
        """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"annotations":{%s}},
         "spec":{"template":{"spec":{"restartPolicy":"Never",
          "containers":[{"name":"m","image":"migrate:1"}]}}}}
        """;
    http.apply("/apis/batch/v1/namespaces/default/jobs/ok", "glidepath", false, job.formatted(""));
    http.apply(
        "/apis/batch/v1/namespaces/default/jobs/bad",
        "glidepath",
        false,
        job.formatted("\"testkit.glidepath.io/ready\":\"false\""));
    cluster.reconcile();
    assertThat(
            http.get("/apis/batch/v1/namespaces/default/jobs/ok")
                .body()
                .at("/status/active")
                .asInt())
        .isEqualTo(1);

    clock.advance(Duration.ofSeconds(10));
    cluster.reconcile();

    assertThat(
            http.get("/apis/batch/v1/namespaces/default/jobs/ok")
                .body()
                .at("/status/conditions/0/type")
                .asString())
        .isEqualTo("Complete");
    assertThat(
            http.get("/apis/batch/v1/namespaces/default/jobs/bad")
                .body()
                .at("/status/conditions/0/type")
                .asString())
        .isEqualTo("Failed");
  }

  @Test
  void statefulSetsReportReadyReplicasAfterTheDelayUnlessAnnotatedUnready() {
    String sts =
        """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"annotations":{%s}},
         "spec":{"replicas":3,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
          "template":{"metadata":{"labels":{"app":"db"}},
           "spec":{"containers":[{"name":"db","image":"pg:16"}]}}}}
        """;
    String path = "/apis/apps/v1/namespaces/default/statefulsets/";
    http.apply(path + "db", "glidepath", false, sts.formatted(""));
    http.apply(
        path + "stuck",
        "glidepath",
        false,
        sts.formatted("\"testkit.glidepath.io/ready\":\"false\""));
    cluster.reconcile();
    clock.advance(Duration.ofSeconds(10));
    cluster.reconcile();

    JsonNode ready = http.get(path + "db").body().get("status");
    JsonNode stuck = http.get(path + "stuck").body().get("status");
    assertThat(ready.get("readyReplicas").asInt()).isEqualTo(3);
    assertThat(ready.get("currentRevision").asString())
        .isEqualTo(ready.get("updateRevision").asString());
    assertThat(stuck.get("readyReplicas").asInt()).isZero();
  }

  @Test
  void statusIsWrittenOnlyThroughTheStatusSubresource() {
    http.apply(CM + "/x", "glidepath", false, "{\"data\":{}}");
    http.apply(DEPLOY + "/web", "glidepath", false, deployment("web:1", 1));
    http.send(
        "PATCH",
        DEPLOY + "/web/status",
        "application/merge-patch+json",
        "{\"status\":{\"replicas\":7},\"spec\":{\"replicas\":9}}");
    http.send(
        "PATCH", DEPLOY + "/web", "application/merge-patch+json", "{\"status\":{\"replicas\":1}}");

    JsonNode web = http.get(DEPLOY + "/web").body();
    assertThat(web.at("/status/replicas").asInt()).isEqualTo(7);
    assertThat(web.at("/spec/replicas").asInt()).isEqualTo(1);
  }

  private static final String APPS = "/apis/argoproj.io/v1alpha1/namespaces/default/applications";
  private static final String APPSETS =
      "/apis/argoproj.io/v1alpha1/namespaces/default/applicationsets";

  /** The names discovery lists in {@code groupVersion} (its kinds and their subresources). */
  private List<String> discovered(String groupVersion) {
    List<String> names = new java.util.ArrayList<>();
    http.get(groupVersion)
        .body()
        .get("resources")
        .forEach(r -> names.add(r.get("name").asString()));
    return names;
  }

  @Test
  void discoveryListsAStatusSubresourceOnlyForKindsThatHaveOne() {
    assertThat(discovered("/apis/argoproj.io/v1alpha1"))
        .contains("applications", "applicationsets", "applicationsets/status", "rollouts/status")
        .doesNotContain("applications/status", "appprojects/status", "analysisruns/status");
    assertThat(discovered("/apis/apps/v1")).contains("deployments/status", "statefulsets/status");
    assertThat(discovered("/api/v1"))
        .contains("services/status", "pods/status", "namespaces/status")
        .doesNotContain("configmaps/status", "secrets/status");
  }

  @Test
  void aCustomResourceDefinedAgainIsServedAsItsCrdNowSaysAndKeepsItsObjects() {
    String widgets = "/apis/example.io/v1/namespaces/default/widgets";
    cluster.defineCustomResource("example.io", "v1", "Widget", "widgets", true);
    assertThat(discovered("/apis/example.io/v1")).containsExactly("widgets", "widgets/status");
    http.send(
        "POST",
        widgets,
        "application/json",
        "{\"apiVersion\":\"example.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"}}");

    cluster.defineCustomResource("example.io", "v1", "Widget", "widgets", false);

    assertThat(discovered("/apis/example.io/v1")).containsExactly("widgets");
    assertThat(http.get(widgets + "/w/status").status()).isEqualTo(404);
    assertThat(http.get(widgets + "/w").status()).isEqualTo(200);
  }

  @Test
  void aKindWithoutAStatusSubresourceAnswers404OnStatusAndWritesStatusWithTheObject() {
    var created =
        http.send(
            "POST",
            APPS,
            "application/json",
            """
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Application",
             "metadata":{"name":"shop"},"spec":{"project":"default"},
             "status":{"sync":{"status":"Synced"}}}
            """);
    long generation = created.body().at("/metadata/generation").asLong();

    var toStatus =
        http.send(
            "PATCH",
            APPS + "/shop/status",
            "application/merge-patch+json",
            "{\"status\":{\"sync\":{\"status\":\"Unknown\"}}}");
    var toObject =
        http.send(
            "PATCH",
            APPS + "/shop",
            "application/merge-patch+json",
            "{\"status\":{\"sync\":{\"status\":\"OutOfSync\"}}}");

    assertThat(created.body().at("/status/sync/status").asString())
        .as("a create stores the status sent")
        .isEqualTo("Synced");
    assertThat(toStatus.status()).isEqualTo(404);
    assertThat(http.get(APPS + "/shop/status").status()).isEqualTo(404);
    assertThat(toObject.status()).isEqualTo(200);
    JsonNode stored = http.get(APPS + "/shop").body();
    assertThat(stored.at("/status/sync/status").asString()).isEqualTo("OutOfSync");
    assertThat(stored.at("/metadata/generation").asLong())
        .as("without the subresource a status change moves the generation")
        .isEqualTo(generation + 1);
  }

  @Test
  void aKindWithAStatusSubresourceKeepsItsStatusOnWritesToTheObject() {
    http.send(
        "POST",
        APPSETS,
        "application/json",
        """
        {"apiVersion":"argoproj.io/v1alpha1","kind":"ApplicationSet",
         "metadata":{"name":"fleet"},"spec":{"generators":[]},
         "status":{"conditions":[{"type":"ResourcesUpToDate"}]}}
        """);
    var toStatus =
        http.send(
            "PATCH",
            APPSETS + "/fleet/status",
            "application/merge-patch+json",
            "{\"status\":{\"resources\":[{\"name\":\"a\"}]}}");
    http.send(
        "PATCH",
        APPSETS + "/fleet",
        "application/merge-patch+json",
        "{\"status\":{\"resources\":[]}}");

    assertThat(toStatus.status()).isEqualTo(200);
    JsonNode stored = http.get(APPSETS + "/fleet").body();
    assertThat(stored.at("/status/conditions").isMissingNode())
        .as("a create stores no status")
        .isTrue();
    assertThat(stored.at("/status/resources/0/name").asString()).isEqualTo("a");
    assertThat(stored.at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  void applyToAKindWithoutAStatusSubresourceStoresTheAppliedStatus() {
    var answer =
        http.apply(
            APPS + "/shop",
            "glidepath",
            false,
            """
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Application",
             "spec":{"project":"default"},"status":{"health":{"status":"Healthy"}}}
            """);

    assertThat(answer.status()).isEqualTo(201);
    assertThat(http.get(APPS + "/shop").body().at("/status/health/status").asString())
        .isEqualTo("Healthy");
  }

  @Test
  void theBuilderGivesAKindTheOtherVariant() {
    try (EmbeddedCluster other =
        EmbeddedCluster.builder()
            .manualController()
            .customResource("argoproj.io", "v1alpha1", "Application", "applications", true, true)
            .start()) {
      Http h = new Http(other);
      h.send(
          "POST",
          APPS,
          "application/json",
          "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Application\","
              + "\"metadata\":{\"name\":\"shop\"},\"spec\":{}}");

      var toStatus =
          h.send(
              "PATCH",
              APPS + "/shop/status",
              "application/merge-patch+json",
              "{\"status\":{\"sync\":{\"status\":\"Synced\"}}}");
      h.send(
          "PATCH",
          APPS + "/shop",
          "application/merge-patch+json",
          "{\"status\":{\"sync\":{\"status\":\"OutOfSync\"}}}");

      assertThat(toStatus.status()).isEqualTo(200);
      assertThat(h.get(APPS + "/shop").body().at("/status/sync/status").asString())
          .isEqualTo("Synced");
      List<String> names = new java.util.ArrayList<>();
      h.get("/apis/argoproj.io/v1alpha1")
          .body()
          .get("resources")
          .forEach(r -> names.add(r.get("name").asString()));
      assertThat(names).contains("applications/status");
    }
  }

  @Test
  void aCrdCreatedThroughTheApiHasAStatusSubresourceOnlyWhenItDeclaresOne() {
    String crd =
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"%s.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced",
          "names":{"kind":"%s","plural":"%s"},
          "versions":[{"name":"v1","served":true,"storage":true%s}]}}
        """;
    String crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    http.send("POST", crds, "application/json", crd.formatted("plains", "Plain", "plains", ""));
    http.send(
        "POST",
        crds,
        "application/json",
        crd.formatted("tracked", "Tracked", "tracked", ",\"subresources\":{\"status\":{}}"));
    String ns = "/apis/example.com/v1/namespaces/default/";
    http.send("POST", ns + "plains", "application/json", "{\"metadata\":{\"name\":\"p\"}}");
    http.send("POST", ns + "tracked", "application/json", "{\"metadata\":{\"name\":\"t\"}}");

    assertThat(discovered("/apis/example.com/v1"))
        .contains("plains", "tracked", "tracked/status")
        .doesNotContain("plains/status");
    String patch = "{\"status\":{\"ok\":true}}";
    assertThat(
            http.send("PATCH", ns + "plains/p/status", "application/merge-patch+json", patch)
                .status())
        .isEqualTo(404);
    assertThat(
            http.send("PATCH", ns + "tracked/t/status", "application/merge-patch+json", patch)
                .status())
        .isEqualTo(200);
  }

  @Test
  void aWatchStartedAfterUpdatesSeesEachObjectOnce() throws Exception {
    http.apply(CM + "/a", "glidepath", false, "{\"metadata\":{\"labels\":{\"v\":\"1\"}}}");
    http.apply(CM + "/a", "glidepath", false, "{\"metadata\":{\"labels\":{\"v\":\"2\"}}}");
    http.apply(CM + "/a", "glidepath", false, "{\"metadata\":{\"labels\":{\"v\":\"3\"}}}");
    var events = new java.util.concurrent.LinkedBlockingQueue<String>();
    try (var client = cluster.client();
        var watch =
            client
                .configMaps()
                .inNamespace("default")
                .watch(
                    new io.fabric8.kubernetes.client.Watcher<>() {
                      @Override
                      public void eventReceived(
                          Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {
                        events.add(
                            action
                                + " "
                                + resource.getMetadata().getName()
                                + " v"
                                + resource.getMetadata().getLabels().get("v"));
                      }

                      @Override
                      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                    })) {
      assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ADDED a v3");
      assertThat(events.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
    }
  }

  /**
   * A watch gets the changes of its type in its namespace that its label selector or name selects,
   * in order: an object entering the selection comes as ADDED, leaving it as DELETED (the object as
   * it was), changing within it as MODIFIED, and its removal as DELETED.
   */
  @Test
  void aWatchGetsTheChangesItsNamespaceAndSelectorsSelectInOrder() throws Exception {
    http.send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"other\"}}");
    var tier = new java.util.concurrent.LinkedBlockingQueue<String>();
    var named = new java.util.concurrent.LinkedBlockingQueue<String>();
    try (var client = cluster.client();
        var byLabel =
            client
                .configMaps()
                .inNamespace("default")
                .withLabel("tier", "web")
                .watch(recording(tier));
        var byName =
            client.configMaps().inNamespace("default").withName("b").watch(recording(named))) {
      http.apply(CM + "/a", "t", false, "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
      http.apply(CM + "/b", "t", false, "{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}");
      http.apply(
          "/api/v1/namespaces/other/configmaps/a",
          "t",
          false,
          "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
      http.apply(
          CM + "/a",
          "t",
          false,
          "{\"metadata\":{\"labels\":{\"tier\":\"web\"}},\"data\":{\"k\":\"1\"}}");
      http.apply(CM + "/a", "t", false, "{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}");
      http.apply(CM + "/b", "t", false, "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
      http.send("DELETE", CM + "/b", null, null);

      assertThat(take(tier, 5))
          .containsExactly(
              "ADDED default/a web -",
              "MODIFIED default/a web 1",
              "DELETED default/a web 1",
              "ADDED default/b web -",
              "DELETED default/b web -");
      assertThat(take(named, 3))
          .containsExactly(
              "ADDED default/b db -", "MODIFIED default/b web -", "DELETED default/b web -");
      assertThat(tier.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
      assertThat(named.poll(1, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
    }
  }

  private static io.fabric8.kubernetes.client.Watcher<io.fabric8.kubernetes.api.model.ConfigMap>
      recording(java.util.concurrent.BlockingQueue<String> events) {
    return new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, io.fabric8.kubernetes.api.model.ConfigMap cm) {
        events.add(
            action
                + " "
                + cm.getMetadata().getNamespace()
                + "/"
                + cm.getMetadata().getName()
                + " "
                + cm.getMetadata().getLabels().get("tier")
                + " "
                + (cm.getData() == null ? "-" : cm.getData().getOrDefault("k", "-")));
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    };
  }

  private static List<String> take(java.util.concurrent.BlockingQueue<String> events, int n)
      throws InterruptedException {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      String e = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      if (e == null) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  @Test
  void closingAWatchWhileEventsFlowDoesNotStallTheServer() throws Exception {
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; !stop.get(); i++) {
                http.apply(CM + "/busy", "glidepath", false, "{\"data\":{\"n\":\"" + i + "\"}}");
              }
            });
    try (var client = cluster.client()) {
      for (int round = 0; round < 5; round++) {
        var seen = new java.util.concurrent.CountDownLatch(3);
        var watch =
            client
                .configMaps()
                .inNamespace("default")
                .watch(
                    new io.fabric8.kubernetes.client.Watcher<>() {
                      @Override
                      public void eventReceived(
                          Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {
                        seen.countDown();
                      }

                      @Override
                      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                    });
        if (round == 0) {
          writer.start();
        }
        assertThat(seen.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        watch.close();
        // the server spreads connections over its event loops: fresh ones reach each of them
        for (int c = 0; c < 8; c++) {
          long started = System.nanoTime();
          assertThat(new Http(cluster).get(CM + "/busy").status()).isEqualTo(200);
          assertThat(Duration.ofNanos(System.nanoTime() - started))
              .isLessThan(Duration.ofSeconds(3));
        }
      }
      stop.set(true);
      writer.join(20_000);
    } finally {
      stop.set(true);
    }
  }
}
