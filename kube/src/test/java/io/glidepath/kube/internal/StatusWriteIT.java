package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A status write that starts from the Application object as the watch showed it, not read again:
 * its resourceVersion precondition refuses it when the object changed since, and it is made again
 * from the object read then; under sharding that happens once, each send passing the fencing check.
 */
class StatusWriteIT {
  private static final ResourceKey KEY =
      new ResourceKey("argoproj.io", "Application", "argocd", "shop");
  private static final String PATH =
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop";
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final DefaultKubeCluster cluster =
      (DefaultKubeCluster) KubeCluster.connect(embedded.config(), RequestRetry.NONE);
  private final DefaultKubeCluster other =
      (DefaultKubeCluster) KubeCluster.connect(embedded.config(), RequestRetry.NONE);
  private final ApplicationObjectStatus status =
      new ApplicationObjectStatus(cluster, "argocd", "shop");

  @BeforeEach
  void createObject() {
    embedded
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://git.example/c.git", targetRevision: main, path: shop}
          destination: {server: "https://kubernetes.default.svc", namespace: apps}
        """;
    var client = embedded.client();
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .create();
  }

  @AfterEach
  void close() {
    other.close();
    cluster.close();
    embedded.close();
  }

  private Resource object() {
    return cluster.get(KEY).orElseThrow();
  }

  /** Another writer (a new owner, a user) adds {@code revision} to the history, off this thread. */
  private void otherWrites(String revision) {
    CompletableFuture.runAsync(
            () -> {
              KubeApi.Answer a =
                  other
                      .api()
                      .send(
                          "PATCH",
                          PATH, // Argo CD's CRD has no status subresource
                          "application/merge-patch+json",
                          Yaml.toJson(historyAdding(other.get(KEY).orElseThrow(), revision)),
                          KEY);
              assertThat(a.ok()).as(a.message()).isTrue();
            })
        .join();
  }

  /** {@code {"status": {"history": [...]}}}: the object's history with {@code revision} added. */
  private static ObjectNode historyAdding(Resource object, String revision) {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.putObject("status").set("history", history(object, revision));
    return patch;
  }

  private static ArrayNode history(Resource object, String revision) {
    ArrayNode h =
        object.body().at("/status/history") instanceof ArrayNode a
            ? a.deepCopy()
            : Yaml.mapper().createArrayNode();
    h.addObject().put("revision", revision);
    return h;
  }

  /** What the status write makes of an object: its history with "mine" added. */
  private static final Function<Resource, ObjectNode> MINE =
      object -> {
        ObjectNode s = Yaml.mapper().createObjectNode();
        s.set("history", history(object, "mine"));
        return s;
      };

  private List<String> revisions() {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode h : object().body().at("/status/history")) {
      out.add(h.path("revision").asString());
    }
    return out;
  }

  @Test
  void aCurrentObjectIsWrittenWithoutAReadAndItsVersionAsPrecondition() {
    Resource known = object();
    embedded.clearRequests();

    assertThat(status.write(known, MINE)).contains("");

    List<RecordedCall> calls = List.copyOf(embedded.requests());
    assertThat(revisions()).containsExactly("mine");
    assertThat(calls).extracting(RecordedCall::verb).containsExactly(Verb.PATCH);
    assertThat(calls.get(0).uri())
        .as("Argo CD's CRD has no status subresource: the object itself, no 404 on /status first")
        .isEqualTo(PATH);
    assertThat(calls.get(0).status()).isEqualTo(200);
    assertThat(calls.get(0).body())
        .contains(
            "\"resourceVersion\":\""
                + known.body().at("/metadata/resourceVersion").asString()
                + "\"");
  }

  @Test
  void anObjectChangedSinceTheWatchShowedItIsReadAgainAndThePatchMadeFromIt() {
    Resource known = object();
    otherWrites("theirs"); // the watch has not shown it yet
    embedded.clearRequests();

    assertThat(status.write(known, MINE)).contains("");

    assertThat(embedded.requests())
        .extracting(RecordedCall::verb)
        .as("refused (409), read again, sent again")
        .containsExactly(Verb.PATCH, Verb.GET, Verb.PATCH);
    assertThat(embedded.requests().get(0).status()).isEqualTo(409);
    assertThat(revisions())
        .as("their entry kept, not overwritten")
        .containsExactly("theirs", "mine");
  }

  @Test
  void withoutShardingAWriteIsMadeAgainTwice() {
    Resource known = object();
    AtomicInteger patches = new AtomicInteger();
    Function<Resource, ObjectNode> racing =
        object -> {
          if (patches.incrementAndGet() <= 2) {
            otherWrites("theirs-" + patches.get()); // changed again before each send
          }
          return MINE.apply(object);
        };

    assertThat(status.write(known, racing)).contains("");

    assertThat(revisions()).containsExactly("theirs-1", "theirs-2", "mine");
  }

  @Test
  void underShardingTheWriteIsReadAgainOnceAndEachSendPassesTheFence() {
    Resource known = object();
    AtomicInteger checks = new AtomicInteger();
    WriteFence.Check check =
        (method, path, key) -> {
          checks.incrementAndGet();
          // between the check and the send, another replica writes the object each time
          otherWrites("theirs-" + checks.get());
        };
    embedded.clearRequests();

    Optional<String> problem = WriteFence.under(check, () -> status.write(known, MINE));

    assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("409"));
    assertThat(checks).hasValue(2);
    assertThat(revisions()).containsExactly("theirs-1", "theirs-2");
  }

  @Test
  void underShardingALostClaimRefusesTheSecondSend() {
    Resource known = object();
    AtomicInteger checks = new AtomicInteger();
    WriteFence.Check check =
        (method, path, key) -> {
          if (checks.incrementAndGet() == 1) {
            otherWrites("new-owner"); // the check passed; the app is taken over before the send
          } else {
            throw new FencedWriteException("shop", "replica-a", key, "claim lost");
          }
        };

    assertThatThrownBy(() -> WriteFence.under(check, () -> status.write(known, MINE)))
        .isInstanceOf(FencedWriteException.class);
    assertThat(revisions()).containsExactly("new-owner");
  }

  @Test
  void anObjectDeletedSinceIsGone() {
    Resource known = object();
    embedded
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("shop")
        .delete();

    assertThat(status.write(known, MINE)).isEmpty();
  }

  /** The status write of {@code write} on {@code embedded}'s Application shop, with its calls. */
  private static List<RecordedCall> callsOf(EmbeddedCluster embedded, Runnable write) {
    embedded.clearRequests();
    write.run();
    return List.copyOf(embedded.requests());
  }

  private static ObjectNode synced() {
    ObjectNode s = Yaml.mapper().createObjectNode();
    s.putObject("sync").put("status", "Synced");
    return s;
  }

  @Test
  void aStatusWrittenWithoutAVersionGoesToTheObjectInOnePatch() {
    object(); // discovery done
    List<RecordedCall> calls =
        callsOf(embedded, () -> assertThat(status.write(synced())).isEmpty());

    assertThat(calls).extracting(RecordedCall::uri).containsExactly(PATH);
    assertThat(calls).extracting(RecordedCall::status).containsExactly(200);
    assertThat(object().body().at("/status/sync/status").asString()).isEqualTo("Synced");
  }

  @Test
  void patchStatusWritesWhereTheTypeKeepsItAndARefusalIsAKubeExceptionWithItsStatus() {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    patch.putObject("status").putObject("sync").put("status", "Synced");

    cluster.patchStatus(KEY, patch);
    assertThat(object().body().at("/status/sync/status").asString()).isEqualTo("Synced");

    ResourceKey missing = new ResourceKey("argoproj.io", "Application", "argocd", "gone");
    assertThatThrownBy(() -> cluster.patchStatus(missing, patch))
        .isInstanceOfSatisfying(
            io.glidepath.kube.KubeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.key()).contains(missing);
            })
        .hasMessageContaining("status not saved in");
  }

  /** A cluster whose Application CRD has a status subresource (unlike Argo CD's). */
  private static EmbeddedCluster withStatusSubresource() {
    EmbeddedCluster e =
        EmbeddedCluster.builder()
            .manualController()
            .customResource("argoproj.io", "v1alpha1", "Application", "applications", true, true)
            .start();
    StatusWriteIT.createIn(e);
    return e;
  }

  private static void createIn(EmbeddedCluster e) {
    var client = e.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    "{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Application\","
                        + " \"metadata\": {\"name\": \"shop\", \"namespace\": \"argocd\"},"
                        + " \"spec\": {\"project\": \"default\"}}",
                    GenericKubernetesResource.class))
        .inNamespace("argocd")
        .create();
  }

  /** The CRD of Argo CD's Application (again), with a status subresource or without one. */
  private static void redefineApplications(EmbeddedCluster e, boolean statusSubresource) {
    e.defineCustomResource(
        "argoproj.io", "v1alpha1", "Application", "applications", statusSubresource);
  }

  @Test
  void aKindWithAStatusSubresourceIsWrittenThroughItInOnePatch() {
    try (EmbeddedCluster e = withStatusSubresource();
        DefaultKubeCluster c =
            (DefaultKubeCluster) KubeCluster.connect(e.config(), RequestRetry.NONE)) {
      ApplicationObjectStatus s = new ApplicationObjectStatus(c, "argocd", "shop");
      Resource known = c.get(KEY).orElseThrow(); // discovery done

      List<RecordedCall> calls = callsOf(e, () -> assertThat(s.write(known, MINE)).contains(""));
      List<RecordedCall> again = callsOf(e, () -> assertThat(s.write(synced())).isEmpty());

      assertThat(calls).extracting(RecordedCall::uri).containsExactly(PATH + "/status");
      assertThat(again).extracting(RecordedCall::uri).containsExactly(PATH + "/status");
      assertThat(calls).extracting(RecordedCall::status).containsExactly(200);
      assertThat(c.get(KEY).orElseThrow().body().at("/status/sync/status").asString())
          .isEqualTo("Synced");
    }
  }

  @Test
  void aStatusSubresourceRemovedSinceDiscoveryCostsOneFallbackThenGoesToTheObject() {
    try (EmbeddedCluster e = withStatusSubresource();
        DefaultKubeCluster c =
            (DefaultKubeCluster) KubeCluster.connect(e.config(), RequestRetry.NONE)) {
      ApplicationObjectStatus s = new ApplicationObjectStatus(c, "argocd", "shop");
      assertThat(c.typeOf(KEY).hasStatusSubresource()).isTrue(); // discovered with it
      redefineApplications(e, false);

      List<RecordedCall> first = callsOf(e, () -> assertThat(s.write(synced())).isEmpty());
      List<RecordedCall> next = callsOf(e, () -> assertThat(s.write(synced())).isEmpty());

      assertThat(first)
          .filteredOn(call -> call.verb() == Verb.PATCH)
          .extracting(RecordedCall::uri, RecordedCall::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(PATH + "/status", 404),
              org.assertj.core.groups.Tuple.tuple(PATH, 200));
      assertThat(next)
          .as("discovery refreshed: the object at once")
          .filteredOn(call -> call.verb() == Verb.PATCH)
          .extracting(RecordedCall::uri)
          .containsExactly(PATH);
      assertThat(c.get(KEY).orElseThrow().body().at("/status/sync/status").asString())
          .isEqualTo("Synced");
    }
  }

  @Test
  void aStatusSubresourceAddedSinceDiscoveryIsFoundWhenTheObjectKeepsItsStatus() {
    try (DefaultKubeCluster c =
        (DefaultKubeCluster) KubeCluster.connect(embedded.config(), RequestRetry.NONE)) {
      ApplicationObjectStatus s = new ApplicationObjectStatus(c, "argocd", "shop");
      assertThat(c.typeOf(KEY).hasStatusSubresource()).isFalse(); // discovered without it
      redefineApplications(embedded, true);
      Resource known = c.get(KEY).orElseThrow();

      List<RecordedCall> first =
          callsOf(embedded, () -> assertThat(s.write(known, MINE)).contains(""));
      List<RecordedCall> next = callsOf(embedded, () -> assertThat(s.write(synced())).isEmpty());

      assertThat(first)
          .filteredOn(call -> call.verb() == Verb.PATCH)
          .extracting(RecordedCall::uri)
          .as("the object kept its status: discovery refreshed, then /status")
          .containsExactly(PATH, PATH + "/status");
      assertThat(next)
          .filteredOn(call -> call.verb() == Verb.PATCH)
          .extracting(RecordedCall::uri)
          .containsExactly(PATH + "/status");
      assertThat(revisions()).containsExactly("mine");
      assertThat(object().body().at("/status/sync/status").asString()).isEqualTo("Synced");
    }
  }
}
