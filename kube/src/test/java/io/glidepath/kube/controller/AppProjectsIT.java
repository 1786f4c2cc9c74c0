package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.glidepath.core.project.Project;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where {@link AppProjects#find} gets its projects: a watch, or GETs while it cannot watch. */
class AppProjectsIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10)));

  @BeforeEach
  void namespace() {
    cluster
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .create();
  }

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private void putProject(String namespaceAllowed) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: team, namespace: argocd}
        spec:
          sourceRepos: ['*']
          destinations: [{server: "https://kubernetes.default.svc", namespace: %s}]
        """
            .formatted(namespaceAllowed);
    var client = cluster.client();
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .createOr(r -> r.update());
  }

  private List<RecordedCall> appProjectCalls() {
    return embedded.requests().stream().filter(c -> "AppProject".equals(c.kind())).toList();
  }

  @Test
  void aWatchedProjectIsParsedOncePerVersionAndAnEditArrivesWithoutARequestPerFind()
      throws Exception {
    putProject("a");
    embedded.clearRequests();
    try (AppProjects projects = AppProjects.in(cluster, "argocd")) {
      Project first = projects.find("team").orElseThrow();
      assertThat(projects.find("team")).containsSame(first);
      assertThat(projects.find("team")).containsSame(first);
      assertThat(appProjectCalls())
          .extracting(RecordedCall::verb)
          .as("one list and a watch, no GET per find")
          .doesNotContain(Verb.GET)
          .containsOnlyOnce(Verb.LIST);

      putProject("b");
      Instant deadline = Instant.now().plusSeconds(30);
      while (projects.find("team").orElseThrow() == first && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
      assertThat(projects.find("team").orElseThrow()).isNotSameAs(first);
      assertThat(projects.find("nobody")).isEmpty();
    }
  }

  @Test
  void whileTheWatchIsRefusedEachFindReadsWithAGetAndTheWatchIsNotRetriedEveryTime() {
    putProject("a");
    embedded.inject(Fault.status(403).on(Verb.LIST, Verb.WATCH).forKinds("AppProject"));
    embedded.clearRequests();
    try (AppProjects projects = AppProjects.in(cluster, "argocd")) {
      for (int i = 0; i < 5; i++) {
        assertThat(projects.find("team")).get().extracting(Project::name).isEqualTo("team");
      }
      List<RecordedCall> calls = appProjectCalls();
      assertThat(calls).filteredOn(c -> c.verb() == Verb.GET).hasSize(5);
      assertThat(calls)
          .filteredOn(c -> c.verb() == Verb.LIST)
          .as("the refused watch is tried once, then again only after a pause")
          .hasSizeBetween(1, 2); // a client retry of the refused list may add one
    }
  }
}
