package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives a typed error naming the kustomization file and the entry. */
class KustomizeErrorsTest {
  private static final String CM =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n";
  private static final String DEPLOY =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - name: web
              image: nginx
      """;

  @TempDir Path repo;

  private void write(String path, String content) throws IOException {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private KustomizeException fails(String app) {
    return catchThrowableOfType(
        KustomizeException.class,
        () -> KustomizeRenderer.of().render(RenderRequest.builder(repo, app).build()));
  }

  @Test
  void numericApiVersionIsRefusedWhetherOrNotAPatchTouchesTheObject() throws IOException {
    // kustomize prints apiVersion: 7 as it is; Glidepath refuses such an object (it cannot be
    // applied) and a patch must not turn the number into the string "7" on the way
    write("app/kustomization.yaml", "resources:\n- odd.yaml\npatches:\n- path: touch.yaml\n");
    write("app/odd.yaml", "apiVersion: 7\nkind: Gadget\nmetadata:\n  name: odd\n");
    write("app/touch.yaml", "apiVersion: 7\nkind: Gadget\nmetadata:\n  name: odd\nspec: {}\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.INVALID_RESOURCE);
    assertThat(e.getMessage()).contains("app/odd.yaml").contains("apiVersion");
  }

  @Test
  void emptyKustomizationIsRefusedAsKustomizeDoes() throws IOException {
    write("app/kustomization.yaml", "resources:\n- base\n");
    write("app/base/kustomization.yaml", "kind: Kustomization\nnameSuffix: \"\"\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.INVALID_VALUE);
    assertThat(e.kustomizationFile()).isEqualTo("app/base/kustomization.yaml");
    assertThat(e.getMessage()).contains("empty");
  }

  @Test
  void missingResourceFileIsNamedWithItsEntry() throws IOException {
    write("app/kustomization.yaml", "resources:\n- cm.yaml\n- nope.yaml\n");
    write("app/cm.yaml", CM);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.MISSING_FILE);
    assertThat(e.kustomizationFile()).isEqualTo("app/kustomization.yaml");
    assertThat(e.entry()).isEqualTo("resources[1]");
    assertThat(e.getMessage()).contains("nope.yaml");
  }

  @Test
  void fileOutsideTheKustomizationDirectoryIsRefusedLikeLoadRestrictionsRootOnly()
      throws IOException {
    write("shared/cm.yaml", CM);
    write("app/kustomization.yaml", "resources:\n- ../shared/cm.yaml\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.PATH_ESCAPE);
    assertThat(e.entry()).isEqualTo("resources[0]");
  }

  @Test
  void pathOutOfTheRepositoryIsRefused() throws IOException {
    write("app/kustomization.yaml", "resources:\n- ../../../../../../etc\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.PATH_ESCAPE);
    assertThat(e.entry()).isEqualTo("resources[0]");
  }

  @Test
  void loadRestrictionsNoneStillStopsAtTheRepositoryRoot(@TempDir Path outside) throws IOException {
    Files.writeString(outside.resolve("secret.yaml"), CM);
    write(
        "app/kustomization.yaml", "resources:\n- ../../../../../../" + outside + "/secret.yaml\n");
    RenderRequest none =
        RenderRequest.builder(repo, "app")
            .kustomize(
                io.glidepath.core.render.KustomizeOptions.NONE.withBuild(
                    new io.glidepath.core.render.KustomizeOptions.BuildOptions(true, false, false)))
            .build();
    KustomizeException e =
        catchThrowableOfType(KustomizeException.class, () -> KustomizeRenderer.of().render(none));
    assertThat(e.problem()).isEqualTo(Problem.PATH_ESCAPE);
    assertThat(e.entry()).isEqualTo("resources[0]");

    // inside the repository, LoadRestrictionsNone lets a kustomization read a file elsewhere
    write("shared/cm.yaml", CM);
    write("app/kustomization.yaml", "resources:\n- ../shared/cm.yaml\n");
    assertThat(KustomizeRenderer.of().render(none).resources().size()).isEqualTo(1);
  }

  @Test
  void symlinkLeavingTheRepositoryIsRefused(@TempDir Path outside) throws IOException {
    Files.writeString(outside.resolve("secret.yaml"), CM);
    write("app/kustomization.yaml", "resources:\n- link.yaml\n");
    Files.createSymbolicLink(repo.resolve("app/link.yaml"), outside.resolve("secret.yaml"));
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.PATH_ESCAPE);
    assertThat(e.entry()).isEqualTo("resources[0]");
  }

  @Test
  void remoteResourcesAreRefusedNamingTheEntry() throws IOException {
    write(
        "app/kustomization.yaml",
        "resources:\n- https://github.com/org/repo//base?ref=v1\n- github.com/org/repo/base\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
    assertThat(e.entry()).isEqualTo("resources[0]");
    assertThat(e.getMessage()).contains("https://github.com/org/repo//base?ref=v1");

    write("app/kustomization.yaml", "resources:\n- github.com/org/repo/base\n");
    KustomizeException bare = fails("app");
    assertThat(bare.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
    assertThat(bare.entry()).isEqualTo("resources[0]");
  }

  @Test
  void aRemoteResourceIsNamedWithoutItsPassword() throws IOException {
    write(
        "app/kustomization.yaml",
        "resources:\n- https://bot:p@ss-hunter2@github.com/org/repo//base?ref=v1\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
    assertThat(e.getMessage())
        .contains("https://bot:***@github.com/org/repo//base?ref=v1")
        .doesNotContain("hunter2");

    write("app/kustomization.yaml", "resources:\n- git:hunter2@github.com:org/repo/base\n");
    assertThat(fails("app").getMessage()).doesNotContain("hunter2");
  }

  @Test
  void patchTargetSelectingNothingIsAnErrorUnlessLenient() throws IOException {
    write(
        "app/kustomization.yaml",
        """
        resources: [deploy.yaml]
        patches:
        - target: {kind: StatefulSet}
          patch: '[{"op": "add", "path": "/spec/replicas", "value": 3}]'
        """);
    write("app/deploy.yaml", DEPLOY);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.NO_PATCH_TARGET);
    assertThat(e.entry()).isEqualTo("patches[0].target");

    RenderResult lenient =
        KustomizeRenderer.lenient().render(RenderRequest.builder(repo, "app").build());
    assertThat(lenient.resources().size()).isEqualTo(1);
    assertThat(lenient.warnings()).singleElement().asString().contains("selects no resource");
  }

  @Test
  void strategicMergePatchWithoutTargetMustMatchAResource() throws IOException {
    write(
        "app/kustomization.yaml",
        "resources: [deploy.yaml]\npatchesStrategicMerge: [patch.yaml]\n");
    write("app/deploy.yaml", DEPLOY);
    write(
        "app/patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\nspec: {replicas: 2}\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.NO_PATCH_TARGET);
    assertThat(e.entry()).isEqualTo("patchesStrategicMerge[0]");
    assertThat(e.getMessage()).contains("other");
  }

  @Test
  void jsonPatchThatDoesNotApplyNamesTheOperation() throws IOException {
    write(
        "app/kustomization.yaml",
        """
        resources: [deploy.yaml]
        patches:
        - target: {kind: Deployment}
          patch: |-
            - {op: add, path: /spec/replicas, value: 2}
            - {op: remove, path: /spec/missing}
        """);
    write("app/deploy.yaml", DEPLOY);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.INVALID_PATCH);
    assertThat(e.entry()).isEqualTo("patches[0]");
    assertThat(e.getMessage()).contains("operation 1").contains("/spec/missing");
  }

  @Test
  void unparsablePatchIsInvalid() throws IOException {
    write(
        "app/kustomization.yaml",
        "resources: [deploy.yaml]\npatches:\n- path: bad.yaml\n  target: {kind: Deployment}\n");
    write("app/deploy.yaml", DEPLOY);
    write("app/bad.yaml", "spec: [unclosed\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.INVALID_PATCH);
    assertThat(e.entry()).isEqualTo("patches[0]");
  }

  @Test
  void kustomizationsIncludingEachOtherAreACycle() throws IOException {
    write("a/kustomization.yaml", "resources: [../b]\n");
    write("b/kustomization.yaml", "resources: [../a]\n");
    KustomizeException e = fails("a");
    assertThat(e.problem()).isEqualTo(Problem.CYCLE);
    assertThat(e.getMessage()).contains("a -> b -> a");
  }

  @Test
  void unknownFieldIsReportedWithItsPath() throws IOException {
    write("app/kustomization.yaml", "namePrefx: x-\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_FIELD);
    assertThat(e.entry()).isEqualTo("namePrefx");

    write("app/kustomization.yaml", "images:\n- name: nginx\n  newTg: \"1\"\n");
    assertThat(fails("app").entry()).isEqualTo("images[0].newTg");

    write("app/kustomization.yaml", "patches:\n- path: p.yaml\n  target: {knd: Deployment}\n");
    assertThat(fails("app").entry()).isEqualTo("patches[0].target.knd");
  }

  @Test
  void fieldsGlidepathDoesNotRenderAreRefusedNotIgnored() throws IOException {
    write("app/kustomization.yaml", "helmCharts:\n- name: redis\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_FIELD);
    assertThat(e.entry()).isEqualTo("helmCharts");
  }

  @Test
  void twoResourcesWithOneIdConflict() throws IOException {
    write("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
    write("app/a.yaml", CM);
    write("app/b.yaml", CM);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.CONFLICT);
    assertThat(e.entry()).isEqualTo("resources[1]");
  }

  @Test
  void generatorCollidingWithAResourceNeedsABehavior() throws IOException {
    write(
        "app/kustomization.yaml",
        "resources: [cm.yaml]\nconfigMapGenerator:\n- name: cm\n  literals: [a=c]\n");
    write("app/cm.yaml", CM);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.CONFLICT);
    assertThat(e.entry()).isEqualTo("configMapGenerator[0]");

    write(
        "app/kustomization.yaml",
        "configMapGenerator:\n- name: cm\n  behavior: merge\n  literals: [a=c]\n");
    assertThat(fails("app").problem()).isEqualTo(Problem.NO_PATCH_TARGET);
  }

  @Test
  void secretValuesNeverAppearInMessages() throws IOException {
    write(
        "app/kustomization.yaml",
        "secretGenerator:\n- name: s\n  literals: [password=hunter2, password=hunter3]\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.CONFLICT);
    assertThat(e.entry()).isEqualTo("secretGenerator[0].literals[1]");
    assertThat(e.getMessage()).doesNotContain("hunter");
  }

  @Test
  void directoryWithoutKustomizationIsNamed() throws IOException {
    write("app/kustomization.yaml", "resources: [../plain]\n");
    write("plain/cm.yaml", CM);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.MISSING_FILE);
    assertThat(e.kustomizationFile()).isEqualTo("app/kustomization.yaml");
    assertThat(e.entry()).isEqualTo("resources[0]");
  }

  @Test
  void numbersWhereKustomizeWantsStringsAreInvalidAsInKustomize() throws IOException {
    write("app/kustomization.yaml", "images:\n- name: nginx\n  newTag: 1.20\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.INVALID_VALUE);
    assertThat(e.entry()).isEqualTo("images[0].newTag");

    write("app/kustomization.yaml", "commonLabels:\n  version: 1\n");
    assertThat(fails("app").entry()).isEqualTo("commonLabels.version");
  }

  @Test
  void replicasForANameNoWorkloadHasIsAnError() throws IOException {
    write("app/kustomization.yaml", "resources: [cm.yaml]\nreplicas:\n- name: cm\n  count: 2\n");
    write("app/cm.yaml", CM);
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.NO_PATCH_TARGET);
    assertThat(e.entry()).isEqualTo("replicas[0]");
  }

  @Test
  void resourceWithoutNameIsInvalid() throws IOException {
    write("app/kustomization.yaml", "resources: [bad.yaml]\n");
    write("app/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
    KustomizeException e = fails("app");
    assertThat(e.problem()).isEqualTo(Problem.INVALID_RESOURCE);
    assertThat(e.entry()).isEqualTo("resources[0]");
  }
}
