package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationException;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.DirectorySource;
import io.glidepath.core.app.HelmSource;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ApplicationSpecTest {
  private static String seed() throws IOException {
    try (InputStream in = ApplicationSpecTest.class.getResourceAsStream("/argocd-app.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The seed app as the API server returns it: server fields, a status and an operation added. */
  private static Resource asStored(String yaml) {
    ObjectNode o = (ObjectNode) Yaml.readTree(yaml, "argocd-app.yaml");
    ObjectNode meta = (ObjectNode) o.get("metadata");
    meta.put("uid", "3f2a").put("resourceVersion", "42").put("generation", 3);
    meta.put("creationTimestamp", "2026-01-01T00:00:00Z");
    meta.putArray("managedFields").addObject().put("manager", "kubectl-client-side-apply");
    o.putObject("status").putObject("sync").put("status", "Synced");
    o.putObject("operation").putObject("sync").put("revision", "abc");
    return Resource.of(o);
  }

  @Test
  void readsTheSpecOfAStoredObjectIgnoringWhatTheServerAdds() throws IOException {
    Application read = ApplicationSpec.read(asStored(seed()));

    assertThat(read).isEqualTo(Application.parse(seed(), "argocd-app.yaml"));
  }

  @Test
  void theObjectTheFeedReadIsNotParsedAgainByTheControllerItStarts() throws IOException {
    Resource stored = asStored(seed());
    Application fed = ApplicationSpec.read(stored);
    long parses = ApplicationSpec.parses();
    // the controller's first read: the same object through its watch, a status written since
    Resource watched =
        stored.edit(
            o -> {
              ((ObjectNode) o.get("metadata")).put("resourceVersion", "43");
              ((ObjectNode) o.get("status")).putObject("health").put("status", "Healthy");
            });

    Application first = new ApplicationSpec.LastRead().read(watched);

    assertThat(first).isSameAs(fed);
    assertThat(ApplicationSpec.parses()).isEqualTo(parses);

    // an edited spec is parsed, and read as edited
    Resource edited =
        stored.edit(o -> ((ObjectNode) o.at("/spec/source")).put("path", "apps/other"));
    Application read = new ApplicationSpec.LastRead().read(edited);
    assertThat(ApplicationSpec.parses()).isEqualTo(parses + 1);
    assertThat(read.source().path()).isEqualTo("apps/other");
  }

  @Test
  void anUnusableSpecIsAnErrorNamingTheField() throws IOException {
    Resource noSource = asStored(seed()).edit(o -> ((ObjectNode) o.get("spec")).remove("source"));
    Resource badLimit = asStored(seed().replace("limit: 3", "limit: three"));
    Resource both =
        asStored(seed().replace("  project: production", "  project: production\n  sources: []"));

    assertThatThrownBy(() -> ApplicationSpec.read(noSource))
        .isInstanceOfSatisfying(
            ApplicationException.class, e -> assertThat(e.path()).isEqualTo("spec.source"))
        .hasMessageContaining("Application argocd/trade-service");
    assertThatThrownBy(() -> ApplicationSpec.read(badLimit))
        .isInstanceOfSatisfying(
            ApplicationException.class,
            e -> assertThat(e.path()).isEqualTo("spec.syncPolicy.retry.limit"));
    // spec.source and spec.sources together: Argo CD would ignore spec.source
    assertThatThrownBy(() -> ApplicationSpec.read(both))
        .isInstanceOfSatisfying(
            ApplicationException.class, e -> assertThat(e.path()).isEqualTo("spec.source"))
        .hasMessageContaining("spec.sources");
  }

  @Test
  void aRecordedSourceReadsBackEqual() throws IOException {
    ApplicationSource seed = Application.parse(seed(), "argocd-app.yaml").source();
    ApplicationSource full =
        new ApplicationSource(
            "https://git.example.com/org/charts.git",
            "v1.2.0",
            "",
            Optional.of("trade"),
            Optional.of(
                new HelmSource(
                    List.of("values.yaml"),
                    List.of(new io.glidepath.core.render.Parameter("a.b", "01", true)),
                    Optional.of("trade"),
                    Optional.of("replicas: 2\n"),
                    true,
                    true)),
            Optional.empty());
    // a source names one tool at most (two are refused when read, as Argo CD refuses them)
    ApplicationSource directory =
        ApplicationSource.of("https://git.example.com/org/configs.git", "main", "apps/web")
            .withDirectory(new DirectorySource(true, Optional.of("*.yaml"), Optional.empty()));
    ApplicationSource everyHelmField =
        Application.parse(
                Files.readString(
                    Path.of("../core/src/test/resources/app/argocd-app-all-fields.yaml")),
                "all-fields.yaml")
            .source();
    ApplicationSource kustomize =
        Application.parse(
                Files.readString(
                    Path.of("../core/src/test/resources/app/argocd-app-kustomize.yaml")),
                "kustomize.yaml")
            .source();

    assertThat(ApplicationSpec.sourceFromJson(ApplicationObjectStatus.source(seed))).contains(seed);
    assertThat(ApplicationSpec.sourceFromJson(ApplicationObjectStatus.source(full))).contains(full);
    assertThat(ApplicationSpec.sourceFromJson(ApplicationObjectStatus.source(directory)))
        .contains(directory);
    assertThat(ApplicationSpec.sourceFromJson(ApplicationObjectStatus.source(everyHelmField)))
        .contains(everyHelmField);
    assertThat(ApplicationSpec.sourceFromJson(ApplicationObjectStatus.source(kustomize)))
        .contains(kustomize);
    assertThat(
            ApplicationSpec.sameSource(
                kustomize,
                kustomize.withKustomize(kustomize.kustomize().orElseThrow().withNamePrefix("x-"))))
        .as("a Kustomize override is part of the source")
        .isFalse();
    assertThat(ApplicationSpec.sourceFromJson(Yaml.mapper().createObjectNode())).isEmpty();
    assertThat(
            ApplicationSpec.sourceFromJson(Yaml.readTree("{repoURL: x, plugin: {name: p}}", "s")))
        .as("a source this reader does not know is not comparable")
        .isEmpty();
  }

  @Test
  void aRecordedSourceCarriesNoPasswordAndStillCountsAsTheSameSource() throws IOException {
    ApplicationSource withPassword =
        Application.parse(
                seed()
                    .replace(
                        "https://git.example.com/", "https://bot:p@ss-hunter2@git.example.com/"),
                "argocd-app.yaml")
            .source();
    JsonNode recorded = ApplicationObjectStatus.source(withPassword);

    assertThat(recorded.toString()).doesNotContain("hunter2").contains("bot:***@git.example.com");
    // read back after a restart: the same source, so the same commit is not synced again
    assertThat(
            ApplicationSpec.sameSource(
                ApplicationSpec.sourceFromJson(recorded).orElseThrow(), withPassword))
        .isTrue();
  }

  @Test
  void sourcesDifferingOnlyInTargetRevisionRenderTheSame() throws IOException {
    ApplicationSource main = Application.parse(seed(), "argocd-app.yaml").source();
    ApplicationSource release =
        Application.parse(seed().replace("targetRevision: main", "targetRevision: r1"), "a")
            .source();
    ApplicationSource otherTag =
        Application.parse(seed().replace("value: \"\"", "value: \"2.0.0\""), "a").source();

    assertThat(ApplicationSpec.sameSource(main, release)).isTrue();
    assertThat(ApplicationSpec.sameSource(main, otherTag)).isFalse();
  }

  @Test
  void anInvalidSpecConditionReplacesItsPredecessorAndKeepsOtherConditions() throws IOException {
    Resource stored =
        asStored(seed())
            .edit(
                o -> {
                  var conditions = ((ObjectNode) o.get("status")).putArray("conditions");
                  conditions.addObject().put("type", "InvalidSpecError").put("message", "old");
                  conditions.addObject().put("type", "SyncError").put("message", "kept");
                });
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    JsonNode replaced = ApplicationSpec.conditions(stored, "spec.source: is required", now);
    JsonNode cleared = ApplicationSpec.conditions(stored, "", now);

    assertThat(replaced).hasSize(2);
    assertThat(replaced.get(0).path("type").asString()).isEqualTo("SyncError");
    assertThat(replaced.get(1).path("message").asString()).isEqualTo("spec.source: is required");
    assertThat(replaced.get(1).path("lastTransitionTime").asString()).isEqualTo(now.toString());
    assertThat(cleared).hasSize(1);
    assertThat(ApplicationSpec.invalidSpecMessage(stored.body())).isEqualTo("old");
    assertThat(ApplicationSpec.conditions(asStored(seed()), "", now).isNull())
        .as("none left: null, which a merge patch deletes")
        .isTrue();
  }
}
