package io.glidepath.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.glidepath.testkit.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The real {@code kubectl} on the PATH against the embedded cluster. */
class KubectlIT {
  private static EmbeddedCluster cluster;
  @TempDir static Path tmp;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    ExternalTool.require(ExternalTool.KUBECTL);
    cluster = EmbeddedCluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Run kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.add("--server");
    command.add(cluster.url());
    command.add("--cache-dir");
    command.add(tmp.resolve("cache").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", tmp.resolve("no-kubeconfig").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl timed out: " + command);
    }
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void serverSideApplyThenGetRoundTrips() throws Exception {
    Path manifest = tmp.resolve("app.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: kubectl-settings
          namespace: default
        data:
          level: info
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: kubectl-web
          namespace: default
        spec:
          replicas: 2
          selector:
            matchLabels: {app: kubectl-web}
          template:
            metadata:
              labels: {app: kubectl-web}
            spec:
              containers:
              - name: app
                image: nginx:1.27
                ports:
                - containerPort: 80
        """);

    Run apply = kubectl("apply", "--server-side", "-f", manifest.toString());
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("configmap/kubectl-settings serverside-applied");
    assertThat(apply.out()).contains("deployment.apps/kubectl-web serverside-applied");

    Run get =
        kubectl(
            "get",
            "deployment",
            "kubectl-web",
            "-n",
            "default",
            "-o",
            "json",
            "--show-managed-fields");
    assertThat(get.exit()).as(get.err()).isZero();
    JsonNode live = Http.MAPPER.readTree(get.out());
    assertThat(live.at("/spec/template/spec/containers/0/image").asString())
        .isEqualTo("nginx:1.27");
    assertThat(live.at("/metadata/managedFields/0/manager").asString()).isEqualTo("kubectl");

    Run again = kubectl("apply", "--server-side", "-f", manifest.toString());
    assertThat(again.exit()).as(again.err()).isZero();
  }

  @Test
  void getListsObjectsAndCustomResourcesByShortName() throws Exception {
    Http http = new Http(cluster);
    http.apply(
        "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/listed",
        "glidepath",
        false,
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"spec\":{}}");

    Run rollouts = kubectl("get", "ro", "-n", "default");
    Run namespaces = kubectl("get", "namespaces");

    assertThat(rollouts.exit()).as(rollouts.err()).isZero();
    assertThat(rollouts.out()).contains("listed");
    assertThat(namespaces.exit()).as(namespaces.err()).isZero();
    assertThat(namespaces.out()).contains("default", "kube-system");
  }

  @Test
  void deleteRemovesTheObject() throws Exception {
    Http http = new Http(cluster);
    http.apply("/api/v1/namespaces/default/configmaps/doomed", "glidepath", false, "{\"data\":{}}");

    Run delete = kubectl("delete", "configmap", "doomed", "-n", "default");

    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(http.get("/api/v1/namespaces/default/configmaps/doomed").status()).isEqualTo(404);
  }

  @Test
  void clientSideApplyCreatesThenPatches() throws Exception {
    Path manifest = tmp.resolve("csa.yaml");
    String yaml =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: client-side
          namespace: default
        data:
          level: %s
        """;
    Files.writeString(manifest, yaml.formatted("info"));
    Run create = kubectl("apply", "-f", manifest.toString());
    Files.writeString(manifest, yaml.formatted("debug"));
    Run update = kubectl("apply", "-f", manifest.toString());

    assertThat(create.exit()).as(create.err()).isZero();
    assertThat(update.exit()).as(update.err()).isZero();
    assertThat(update.out()).contains("configmap/client-side configured");
    JsonNode live =
        new Http(cluster).get("/api/v1/namespaces/default/configmaps/client-side").body();
    assertThat(live.at("/data/level").asString()).isEqualTo("debug");
  }
}
