package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's Application and chart, synced from a local Git server into an embedded cluster. */
class SyncCommandIT {
  static LocalGitServer server;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void start() throws IOException {
    ExternalTool.require(ExternalTool.GIT);
    server = LocalGitServer.start();
    server.seed("gitops", Path.of("../examples/gitops-configs"), "initial");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void syncsTheSeedAppIntoAnEmbeddedClusterAndPrintsPlanAndResults(@TempDir Path cache) {
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            server.url("gitops"),
            "--embedded",
            "--projects",
            "../examples/gitops-configs/projects",
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("rendered ", "Rollout", "SYNCED", "synced ");
    assertThat(run.out()).doesNotContain("SYNC_FAILED");
  }

  @Test
  void aDirectoryInsideAGitWorkTreeIsSyncedAsItIsOnDisk() {
    // examples/gitops-configs lies inside this project's work tree; Argo CD would see it as the
    // root of its own repository, where spec.source.path (apps/trade-service) is found
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "../examples/gitops-configs",
            "--embedded",
            "--projects",
            "../examples/gitops-configs/projects");

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.err())
        .contains("is not the root of a Git repository: syncing the files on disk");
    assertThat(run.out()).contains("rendered 10 resources at the files on disk", "synced dir-");
  }

  @Test
  void aPlainDirectoryIsSyncedAsItIsOnDisk(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("configs");
    copyTree(Path.of("../examples/gitops-configs"), copy);

    Run run =
        run(
            "sync",
            "--app",
            copy.resolve("apps/trade-service/argocd-app.yaml").toString(),
            "--repo",
            copy.toString(),
            "--embedded",
            "--projects",
            copy.resolve("projects").toString());

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("SYNCED", "synced dir-");
  }

  @Test
  void anUnreachableRemoteIsNamedWithItsCause() throws IOException {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "http://127.0.0.1:" + port + "/gitops.git",
            "--embedded");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith("error: fetch of http://127.0.0.1:" + port + "/gitops.git failed")
        .containsIgnoringCase("connection refused");
  }

  @Test
  void aPasswordInAnUnreachableRemoteIsNeverPrinted() throws IOException {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    for (String repo :
        java.util.List.of(
            "ssh://git:hunter2@127.0.0.1:" + port + "/org/gitops.git",
            "http://bot:p@ss-hunter2@127.0.0.1:" + port + "/gitops.git")) {
      Run run =
          run(
              "sync",
              "--app",
              "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
              "--repo",
              repo,
              "--embedded");

      assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
      // the remote is named (its credentials masked, or taken out as the fetch's credentials)
      assertThat(run.err()).contains("fetch of ", "127.0.0.1:" + port);
      assertThat(run.out() + run.err()).doesNotContain("hunter2");
    }
  }

  @Test
  void anUnreachableClusterIsNamedWithItsCause(@TempDir Path tmp) throws IOException {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path kubeconfig = tmp.resolve("kubeconfig");
    java.nio.file.Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:"
            + port
            + "\"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
            + "current-context: x\nusers:\n- name: u\n  user: {token: t}\n");
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "../examples/gitops-configs",
            "--kubeconfig",
            kubeconfig.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "error: GET /api/v1 failed: cannot reach 127.0.0.1:"
                + port
                + ": connection refused (nothing listens on that port)");
  }

  @Test
  void anArgoCdCmExclusionLeavesTheKindOutWithAWarning(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("configs");
    copyTree(Path.of("../examples/gitops-configs"), copy);
    Path cm = tmp.resolve("argocd-cm.yaml");
    java.nio.file.Files.writeString(
        cm,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-cm, namespace: argocd}
        data:
          resource.exclusions: |
            - apiGroups: [policy]
              kinds: [PodDisruptionBudget]
        """);

    Run run =
        run(
            "sync",
            "--app",
            copy.resolve("apps/trade-service/argocd-app.yaml").toString(),
            "--repo",
            copy.toString(),
            "--embedded",
            "--projects",
            copy.resolve("projects").toString(),
            "--argocd-cm",
            cm.toString());

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.err())
        .containsPattern(
            "warning: Resource policy/PodDisruptionBudget \\S+ is excluded in the settings");
    assertThat(run.out()).contains("SYNCED").doesNotContain("PodDisruptionBudget");
  }

  @Test
  void aBadArgoCdCmIsAnInputError(@TempDir Path tmp) throws IOException {
    Path cm = tmp.resolve("argocd-cm.yaml");
    java.nio.file.Files.writeString(
        cm,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-cm}
        data:
          resource.customizations.useOpenLibs.example.com_Widget: maybe
        """);

    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "../examples/gitops-configs",
            "--embedded",
            "--argocd-cm",
            cm.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains("useOpenLibs");
    assertThat(run.out()).doesNotContain("rendered");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(f, target);
        }
      }
    }
  }

  @Test
  void refusesWhatTheProjectForbidsAndExitsThree(@TempDir Path cache, @TempDir Path dir)
      throws IOException {
    Path project = dir.resolve("production.yaml");
    java.nio.file.Files.writeString(
        project,
        java.nio.file.Files.readString(
                Path.of("../examples/gitops-configs/projects/production.yaml"))
            .replace("namespace: production", "namespace: staging"));
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            server.url("gitops"),
            "--embedded",
            "--project",
            project.toString(),
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.err())
        .contains("refused: destination https://kubernetes.default.svc namespace production");
    assertThat(run.out()).doesNotContain("SYNCED");
  }

  /**
   * The seed app deploying to the cluster named {@code destination}, a Secret for prod and the
   * projects directory that permits the destination.
   */
  private static Path[] fleet(Path tmp, String destination, String prodUrl) throws IOException {
    Path app = tmp.resolve("app.yaml");
    java.nio.file.Files.writeString(
        app,
        java.nio.file.Files.readString(
                Path.of("../examples/gitops-configs/apps/trade-service/argocd-app.yaml"))
            .replace("server: https://kubernetes.default.svc", "name: " + destination));
    // the project permits the destination by its cluster's name
    Path projects = java.nio.file.Files.createDirectories(tmp.resolve("projects"));
    java.nio.file.Files.writeString(
        projects.resolve("production.yaml"),
        java.nio.file.Files.readString(
                Path.of("../examples/gitops-configs/projects/production.yaml"))
            .replace("- server: https://kubernetes.default.svc", "- name: " + destination));
    Path clusters = java.nio.file.Files.createDirectories(tmp.resolve("clusters"));
    java.nio.file.Files.writeString(
        clusters.resolve("prod.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  namespace: argocd\n"
            + "  labels: {argocd.argoproj.io/secret-type: cluster}\nstringData:\n  name: prod\n"
            + "  server: "
            + prodUrl
            + "\n  config: '{\"bearerToken\":\"secret-token\"}'\n");
    return new Path[] {app, clusters, projects};
  }

  @Test
  void syncsIntoTheClusterTheDestinationNamesAmongTheClusterSecrets(@TempDir Path tmp)
      throws IOException {
    try (io.glidepath.testkit.cluster.EmbeddedCluster prod =
        io.glidepath.testkit.cluster.EmbeddedCluster.start()) {
      Path[] files = fleet(tmp, "prod", prod.url());
      Run run =
          run(
              "sync",
              "--app",
              files[0].toString(),
              "--repo",
              "../examples/gitops-configs",
              "--embedded",
              "--clusters",
              files[1].toString(),
              "--projects",
              files[2].toString());

      assertThat(run.code()).as(run.out() + run.err()).isZero();
      try (io.fabric8.kubernetes.client.KubernetesClient c =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder()
              .withConfig(prod.config())
              .build()) {
        assertThat(c.services().inNamespace("production").list().getItems())
            .as("the app's resources are in prod: " + run.out() + run.err())
            .isNotEmpty();
      }
      assertThat(run.out() + run.err()).doesNotContain("secret-token");
    }
  }

  @Test
  void aDestinationNoClusterAnswersIsArgoCdsInvalidSpecErrorAndNothingIsSynced(@TempDir Path tmp)
      throws IOException {
    try (io.glidepath.testkit.cluster.EmbeddedCluster prod =
        io.glidepath.testkit.cluster.EmbeddedCluster.start()) {
      Path[] files = fleet(tmp, "prod-us", prod.url());
      Run run =
          run(
              "sync",
              "--app",
              files[0].toString(),
              "--repo",
              "../examples/gitops-configs",
              "--embedded",
              "--clusters",
              files[1].toString(),
              "--projects",
              files[2].toString());

      assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
      assertThat(run.err()).contains("there are no clusters with this name: prod-us");
      assertThat(run.out()).doesNotContain("SYNCED");
    }
  }

  /** A repository an attacker with commit rights to one app's folder prepared (issue 15). */
  private static Path hostileRepo(Path dir, String project) throws IOException {
    Path app = java.nio.file.Files.createDirectories(dir.resolve("apps/evil/manifests"));
    java.nio.file.Files.writeString(
        dir.resolve("apps/evil/argocd-app.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: evil, namespace: argocd}
        spec:
          project: PROJECT
          source: {repoURL: 'https://git.example.com/org/gitops-configs.git', targetRevision: main,
                   path: apps/evil/manifests}
          destination: {server: 'https://kubernetes.default.svc', namespace: production}
          syncPolicy: {automated: {prune: true}}
        """
            .replace("PROJECT", project));
    java.nio.file.Files.writeString(
        app.resolve("crb.yaml"),
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: evil-admin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: default, namespace: production}]
        """);
    String permissive =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: NAME}
        spec:
          sourceRepos: ['*']
          destinations: [{server: '*', namespace: '*'}]
          clusterResourceWhitelist: [{group: '*', kind: '*'}]
        """;
    // beside the app (item 4: shadowing) and at a path the app names (item 3)
    java.nio.file.Files.createDirectories(dir.resolve("apps/evil/projects"));
    java.nio.file.Files.writeString(
        dir.resolve("apps/evil/projects/prod.yaml"), permissive.replace("NAME", "prod"));
    java.nio.file.Files.createDirectories(dir.resolve("manifests/evilproj"));
    java.nio.file.Files.writeString(
        dir.resolve("manifests/evilproj/permissive.yaml"), permissive.replace("NAME", "prod"));
    // what the platform configured: prod deploys namespaced ConfigMaps only
    java.nio.file.Files.createDirectories(dir.resolve("platform/projects"));
    java.nio.file.Files.writeString(
        dir.resolve("platform/projects/prod.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: prod}
        spec:
          sourceRepos: ['*']
          destinations: [{server: 'https://kubernetes.default.svc', namespace: production}]
          namespaceResourceWhitelist: [{group: '', kind: ConfigMap}]
        """);
    return dir;
  }

  @Test
  void aProjectBesideTheApplicationCannotShadowThePlatformsProject(
      @TempDir Path repo, @TempDir Path cache) throws IOException {
    hostileRepo(repo, "prod");
    server.seed("evil-shadow", repo, "evil");
    String app = repo.resolve("apps/evil/argocd-app.yaml").toString();

    Run unconfigured =
        run(
            "sync",
            "--app",
            app,
            "--repo",
            server.url("evil-shadow"),
            "--embedded",
            "--cache-dir",
            cache.toString());
    assertThat(unconfigured.code())
        .as(unconfigured.out() + unconfigured.err())
        .isEqualTo(SyncCommand.REFUSED);
    assertThat(unconfigured.err()).contains("project prod does not exist");
    assertThat(unconfigured.out()).doesNotContain("SYNCED");

    Run configured =
        run(
            "sync",
            "--app",
            app,
            "--repo",
            server.url("evil-shadow"),
            "--embedded",
            "--projects",
            repo.resolve("platform/projects").toString(),
            "--cache-dir",
            cache.toString());
    assertThat(configured.code())
        .as(configured.out() + configured.err())
        .isEqualTo(SyncCommand.REFUSED);
    assertThat(configured.err()).contains("ClusterRoleBinding", "project prod");
    assertThat(configured.out()).doesNotContain("SYNCED");
  }

  @Test
  void aPasswordInTheRepoUrlOfAnAppTheProjectRefusesIsMasked(
      @TempDir Path repo, @TempDir Path cache) throws IOException {
    hostileRepo(repo, "prod");
    Path app = repo.resolve("apps/evil/argocd-app.yaml");
    java.nio.file.Files.writeString(
        app,
        java.nio.file.Files.readString(app)
            .replace(
                "https://git.example.com/org/gitops-configs.git",
                "https://bot:p@ss-hunter2@git.example.com/org/gitops-configs.git"));
    java.nio.file.Files.writeString(
        repo.resolve("platform/projects/prod.yaml"),
        java.nio.file.Files.readString(repo.resolve("platform/projects/prod.yaml"))
            .replace(
                "sourceRepos: ['*']", "sourceRepos: ['https://git.example.com/org/other.git']"));
    server.seed("evil-password", repo, "evil");

    Run run =
        run(
            "sync",
            "--app",
            app.toString(),
            "--repo",
            server.url("evil-password"),
            "--embedded",
            "--projects",
            repo.resolve("platform/projects").toString(),
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.err())
        .contains("https://bot:***@git.example.com/org/gitops-configs.git", "sourceRepos");
    assertThat(run.out() + run.err()).doesNotContain("hunter2");
  }

  @Test
  void anApplicationCannotNameItsProjectByPath(@TempDir Path repo, @TempDir Path cache)
      throws IOException {
    hostileRepo(repo, "../manifests/evilproj/permissive");
    server.seed("evil-path", repo, "evil");

    Run run =
        run(
            "sync",
            "--app",
            repo.resolve("apps/evil/argocd-app.yaml").toString(),
            "--repo",
            server.url("evil-path"),
            "--embedded",
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains("spec.project", "not a Kubernetes name");
    assertThat(run.out()).doesNotContain("SYNCED");
  }

  @Test
  void aChartWhoseValuesFileLinksOutsideTheRepositoryIsRefused(
      @TempDir Path repo, @TempDir Path cache) throws IOException {
    java.nio.file.Files.createDirectories(repo.resolve("apps/c/templates"));
    java.nio.file.Files.writeString(
        repo.resolve("apps/c/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    java.nio.file.Files.writeString(
        repo.resolve("apps/c/templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '{{ .Values.a }}'}\n");
    java.nio.file.Files.createSymbolicLink(
        repo.resolve("apps/c/values.yaml"), Path.of("/etc/passwd"));
    java.nio.file.Files.writeString(
        repo.resolve("app.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: c, namespace: argocd}
        spec:
          source: {repoURL: 'https://git.example.com/org/c.git', targetRevision: main, path: apps/c}
          destination: {server: 'https://kubernetes.default.svc', namespace: default}
          syncPolicy: {automated: {}}
        """);
    server.seed("passwd-link", repo, "values from the host");

    Run run =
        run(
            "sync",
            "--app",
            repo.resolve("app.yaml").toString(),
            "--repo",
            server.url("passwd-link"),
            "--embedded",
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains("apps/c/values.yaml -> /etc/passwd", "not rendered");
    assertThat(run.out()).doesNotContain("SYNCED");
  }

  @Test
  void leavesNoCloneInTheTemporaryDirectory(@TempDir Path tmpdir) throws Exception {
    // in a JVM of its own, whose temporary directory only this run uses
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpdir,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "sync",
                "--app",
                "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
                "--repo",
                server.url("gitops"),
                "--embedded",
                "--projects",
                "../examples/gitops-configs/projects")
            .redirectErrorStream(true);
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();

    try (var left = java.nio.file.Files.list(tmpdir)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith("glidepath-sync-"));
    }
  }
}
