package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.RenderRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A patch target's name and namespace are regular expressions with RE2 semantics (kustomize's Go
 * regexp), matched in linear time: a pattern that makes a backtracking engine run for hours ends at
 * once. The timeout guards termination; it is not a speed target.
 */
class HostilePatchTargetTest {
  @TempDir Path repo;

  @Test
  @Timeout(60)
  void aCatastrophicTargetPatternEndsAtOnce() throws IOException {
    String name = "a".repeat(40) + "c";
    Files.createDirectories(repo.resolve("app"));
    Files.writeString(
        repo.resolve("app/kustomization.yaml"),
        """
        resources: [cm.yaml]
        patches:
        - target: {kind: ConfigMap, name: "(a*)*b"}
          patch: |-
            - op: add
              path: /data/patched
              value: "yes"
        """);
    Files.writeString(
        repo.resolve("app/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\ndata: {a: b}\n");

    // the pattern matched nothing, at once: kustomize's "no target" refusal, not a hang
    assertThatThrownBy(
            () -> KustomizeRenderer.of().render(RenderRequest.builder(repo, "app").build()))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> assertThat(e.problem()).isEqualTo(KustomizeException.Problem.NO_PATCH_TARGET));
  }
}
