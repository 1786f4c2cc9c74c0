package io.glidepath.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.diff.IgnoreDifference;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ApplicationTest {
  /** The seed's argocd-app.yaml, copied byte for byte. */
  private static final Path SEED = Path.of("src/test/resources/app/argocd-app.yaml");

  @Test
  void loadsTheSeedApplicationUnchanged() {
    Application app = Application.read(SEED);
    assertThat(app.name()).isEqualTo("trade-service");
    assertThat(app.namespace()).isEqualTo("argocd");
    assertThat(app.labels())
        .containsEntry("team", "sre")
        .containsEntry("environment", "production");
    assertThat(app.cascadesDeletion()).isTrue();
    assertThat(app.project()).isEqualTo("production");
    ApplicationSource source = app.source();
    assertThat(source.repoURL()).isEqualTo("https://git.example.com/org/gitops-configs.git");
    assertThat(source.targetRevision()).isEqualTo("main");
    assertThat(source.path()).isEqualTo("apps/trade-service");
    HelmSource helm = source.helm().orElseThrow();
    assertThat(helm.valueFiles()).containsExactly("values.yaml", "values-production.yaml");
    assertThat(helm.parameters()).containsExactly(Parameter.of("image.tag", ""));
    assertThat(app.destination()).isEqualTo(ApplicationDestination.inCluster("production"));
    SyncPolicy policy = app.syncPolicy();
    assertThat(policy.automated()).contains(new Automated(true, true, false));
    assertThat(policy.syncOptions().createNamespace()).isTrue();
    assertThat(policy.syncOptions().serverSideApply()).isTrue();
    assertThat(policy.syncOptions().prunePropagationPolicy()).isEqualTo("foreground");
    Retry retry = policy.retry().orElseThrow();
    assertThat(retry.limit()).isEqualTo(3);
    assertThat(retry.backoff())
        .isEqualTo(new Retry.Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(3)));
    assertThat(retry.backoff().delay(0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(retry.backoff().delay(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(retry.backoff().delay(10)).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void javaBuiltApplicationEqualsTheLoadedOne() {
    Application built =
        Application.builder("trade-service")
            .namespace("argocd")
            .label("team", "sre")
            .label("environment", "production")
            .finalizer(Application.RESOURCES_FINALIZER)
            .project("production")
            .source(
                ApplicationSource.of(
                        "https://git.example.com/org/gitops-configs.git",
                        "main",
                        "apps/trade-service")
                    .withHelm(
                        HelmSource.ofValueFiles("values.yaml", "values-production.yaml")
                            .withParameter("image.tag", "")))
            .destination(ApplicationDestination.inCluster("production"))
            .syncPolicy(
                new SyncPolicy(
                    Optional.of(new Automated(true, true, false)),
                    SyncOptions.of(
                        "CreateNamespace=true",
                        "ServerSideApply=true",
                        "PrunePropagationPolicy=foreground"),
                    Optional.of(
                        new Retry(
                            3,
                            new Retry.Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(3))))))
            .build();
    assertThat(built).isEqualTo(Application.read(SEED));
  }

  @Test
  void anObjectAlreadyParsedReadsAsItsText() throws Exception {
    String text = Files.readString(SEED);
    JsonNode object = Yaml.readTree(text, "app.yaml");

    assertThat(Application.read(object, "argocd/trade-service"))
        .isEqualTo(Application.parse(text, "app.yaml"));
    ObjectNode typo = (ObjectNode) object.deepCopy();
    ((ObjectNode) typo.path("spec").path("syncPolicy").path("automated")).put("selfheal", true);
    assertThatThrownBy(() -> Application.read(typo, "argocd/trade-service"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("argocd/trade-service")
        .hasMessageContaining("spec.syncPolicy.automated.selfheal: unknown field");
  }

  @Test
  void unknownFieldsAreErrorsNamingTheirPath() throws Exception {
    String text = Files.readString(SEED).replace("factor: 2", "factor: 2\n        jitter: 0.1");
    assertThatThrownBy(() -> Application.parse(text, "app.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("spec.syncPolicy.retry.backoff.jitter: unknown field")
        .satisfies(
            e ->
                assertThat(((ApplicationException) e).path())
                    .isEqualTo("spec.syncPolicy.retry.backoff.jitter"));
    String typo = Files.readString(SEED).replace("selfHeal", "selfheal");
    assertThatThrownBy(() -> Application.parse(typo, "app.yaml"))
        .hasMessageContaining("spec.syncPolicy.automated.selfheal: unknown field");
  }

  @Test
  void badValuesNameFieldAndValue() throws Exception {
    String text = Files.readString(SEED);
    assertThatThrownBy(
            () -> Application.parse(text.replace("duration: 5s", "duration: 5 sec"), "a.yaml"))
        .hasMessageContaining("spec.syncPolicy.retry.backoff.duration")
        .hasMessageContaining("5 sec");
    assertThatThrownBy(
            () ->
                Application.parse(
                    text.replace("CreateNamespace=true", "CreateNamespaces=true"), "a.yaml"))
        .hasMessageContaining("spec.syncPolicy.syncOptions")
        .hasMessageContaining("unknown sync option \"CreateNamespaces=true\"");
    assertThatThrownBy(() -> Application.parse(text.replace("limit: 3", "limit: many"), "a.yaml"))
        .hasMessageContaining("spec.syncPolicy.retry.limit: must be an integer");
  }

  @Test
  void ignoreDifferencesLoadAndInvalidJqIsReportedWithPath() throws Exception {
    String text =
        Files.readString(SEED)
            + """
              ignoreDifferences:
                - group: apps
                  kind: Deployment
                  jsonPointers: [/spec/replicas]
                - kind: Service
                  name: trade-service-stable
                  jqPathExpressions: ['.spec.ports[] | select(.name == "http") | .nodePort']
            """
                .replace("  ignoreDifferences", "  ignoreDifferences");
    Application app = Application.parse(text, "a.yaml");
    assertThat(app.ignoreDifferences())
        .containsExactly(
            IgnoreDifference.of("apps", "Deployment").withJsonPointers("/spec/replicas"),
            IgnoreDifference.of("", "Service")
                .withName("trade-service-stable")
                .withJqPathExpressions(".spec.ports[] | select(.name == \"http\") | .nodePort"));
    assertThatThrownBy(
            () -> Application.parse(text.replace(".nodePort", ".nodePort | length"), "a.yaml"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("spec.ignoreDifferences[1].jqPathExpressions");
  }

  @Test
  void renderRequestCarriesSourceAndDestination() {
    RenderRequest request = Application.read(SEED).renderRequest(Path.of("/repo"));
    assertThat(request.appPath()).isEqualTo("apps/trade-service");
    assertThat(request.valueFiles()).containsExactly("values.yaml", "values-production.yaml");
    assertThat(request.parameters()).containsExactly(Parameter.of("image.tag", ""));
    assertThat(request.namespace()).contains("production");
    assertThat(request.releaseName()).isEqualTo("trade-service");
  }

  @Test
  void syncOptionsParseAnnotationsAndRejectBadValues() {
    SyncOptions o = SyncOptions.parse("Prune=false, ServerSideApply=true,Delete=confirm");
    assertThat(o.prune()).isEqualTo(SyncOptions.Permission.DISABLED);
    assertThat(o.delete()).isEqualTo(SyncOptions.Permission.CONFIRM);
    assertThat(o.serverSideApply()).isTrue();
    assertThat(o.validate()).isTrue();
    assertThatThrownBy(() -> SyncOptions.parse("Prune=maybe"))
        .hasMessageContaining("Prune must be one of [confirm, false, true], but was \"maybe\"");
    assertThat(
            List.of(
                SyncOptions.of("Replace=true")
                    .overriddenBy(SyncOptions.of("Replace=false"))
                    .replace()))
        .containsExactly(false);
  }
}
