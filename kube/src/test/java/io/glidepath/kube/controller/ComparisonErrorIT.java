package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A resource that makes a check throw marks its app with a COMPARISON_ERROR condition that names
 * the cause (never a secret value), nothing is written, and the controller's loop keeps running:
 * once the resource is fixed, the app syncs (issue 15, "any unexpected failure").
 */
class ComparisonErrorIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String MALFORMED_SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: creds, namespace: production}
      data:
        password:
          nested: aHVudGVyMg==
      """;

  private static final String GOOD_SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: creds, namespace: production}
      data:
        password: aHVudGVyMg==
      """;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded =
      EmbeddedCluster.builder().clock(clock).manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final AtomicReference<DesiredState> desired =
      new AtomicReference<>(state("rev-1", MALFORMED_SECRET));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static DesiredState state(String revision, String yaml) {
    return new DesiredState(
        revision, ResourceSet.of(Yaml.readResources(yaml, revision + "/rendered.yaml")));
  }

  private static Application seedApp() throws IOException {
    try (InputStream in = ComparisonErrorIT.class.getResourceAsStream("/argocd-app.yaml")) {
      return Application.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "argocd-app.yaml");
    }
  }

  private ApplicationController controller(ProjectSource projects) throws IOException {
    return ApplicationController.builder(seedApp(), cluster, desired::get)
        .engine(engineOnManualTime(cluster, clock, embedded).build())
        .clock(clock)
        .statusNamespace("default")
        .projects(projects)
        .build();
  }

  @Test
  void aMalformedSecretIsAComparisonErrorAndTheLoopKeepsRunning() throws Exception {
    try (ApplicationController controller =
        controller(ProjectSource.of(Project.permissive("production")))) {
      embedded.clearRequests();
      controller.start();
      eventually(WAIT, () -> controller.status().isPresent(), "the first reconcile");

      AppStatus status = controller.status().orElseThrow();
      assertThat(status.conditions())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.type()).isEqualTo(AppCondition.Type.COMPARISON_ERROR);
                assertThat(c.message())
                    .contains("Secret production/creds: data.password must be a string")
                    .doesNotContain("aHVudGVyMg==");
              });
      assertThat(embedded.writes()).noneMatch(c -> c.uri().contains("/secrets"));

      desired.set(state("rev-2", GOOD_SECRET));
      controller.refresh();

      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          "the fixed Secret is synced by the same loop");
      assertThat(controller.status().orElseThrow().conditions()).isEmpty();
    }
  }

  @Test
  void anUnexpectedFailureInACheckIsAComparisonErrorNotACrash() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    ProjectSource flaky =
        name -> {
          if (broken.get()) {
            throw new TracelessFailure("a check failed unexpectedly");
          }
          return Optional.of(Project.permissive(name));
        };
    desired.set(state("rev-1", GOOD_SECRET));
    ApplicationController controller = controller(flaky);

    AppStatus failed = controller.reconcile();

    assertThat(failed.synced()).isFalse();
    assertThat(failed.conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(AppCondition.Type.COMPARISON_ERROR);
              assertThat(c.message())
                  .isEqualTo("unexpected failure: TracelessFailure: a check failed unexpectedly");
            });

    broken.set(false);
    AppStatus next = controller.reconcile();
    assertThat(next.synced()).as(next.message()).isTrue();
    assertThat(next.conditions()).isEmpty();
  }

  @Test
  void aReconcileInterruptedBecauseTheControllerStopsWritesNoComparisonError() throws Exception {
    ProjectSource stopping =
        name -> {
          // what a request sees when the controller's stop interrupts its thread
          Thread.currentThread().interrupt();
          throw new TracelessFailure("GET /api/v1/namespaces/production was interrupted");
        };
    desired.set(state("rev-1", GOOD_SECRET));
    ApplicationController controller = controller(stopping);
    embedded.clearRequests();

    AppStatus interrupted;
    try {
      interrupted = controller.reconcile();
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    assertThat(interrupted.synced()).isFalse();
    assertThat(interrupted.message())
        .as("not reported as a failure of the app")
        .contains("interrupted")
        .doesNotContain("unexpected failure");
    assertThat(embedded.writes()).as("no status written for a stopping reconcile").isEmpty();
  }

  /**
   * A failure without a stack trace: the controller logs an unexpected failure with its trace, and
   * this one is expected, so the build output stays free of it.
   */
  private static final class TracelessFailure extends IllegalStateException {
    TracelessFailure(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
