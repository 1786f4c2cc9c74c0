package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm's {@code lookup} never reaches a cluster: a render in a JVM whose environment names a
 * cluster (KUBECONFIG and ~/.kube/config pointing at a listening socket) or none at all gets an
 * empty map, as {@code helm template} does, and the socket sees no connection.
 */
class HelmLookupIT {
  static final String LOOKUP_TEMPLATE =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: leak
      data:
        secret: {{ (lookup "v1" "Secret" "kube-system" "admin-token") | toJson | quote }}
        secrets: {{ (lookup "v1" "Secret" "kube-system" "") | toJson | quote }}
        rollout: {{ (lookup "argoproj.io/v1alpha1" "Rollout" "prod" "web") | toJson | quote }}
      """;

  static Path lookupChart(Path repo) throws IOException {
    Path chart = Files.createDirectories(repo.resolve("apps/probe/templates"));
    Files.writeString(
        repo.resolve("apps/probe/Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("cm.yaml"), LOOKUP_TEMPLATE);
    return repo;
  }

  static String kubeconfig(String server) {
    return "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \""
        + server
        + "\"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n"
        + "users:\n- name: u\n  user: {token: stolen-credentials}\n";
  }

  record Run(int exit, String out) {}

  static Run probe(Path repo, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LookupProbe.class.getName());
    command.add(repo.toString());
    command.add("apps/probe");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void lookupIsEmptyAndNeverConnectsToTheKubeconfigsCluster(@TempDir Path tmp) throws Exception {
    Path repo = lookupChart(Files.createDirectories(tmp.resolve("repo")));
    try (RecordingPort cluster = RecordingPort.open()) {
      Path kubeconfig = tmp.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(cluster.url()));
      Path home = Files.createDirectories(tmp.resolve("home/.kube")).getParent();
      Files.writeString(home.resolve(".kube/config"), kubeconfig(cluster.url()));

      Run run = probe(repo, Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", home.toString()));

      assertThat(run.exit()).as(run.out()).isZero();
      assertThat(run.out())
          .contains("secret: '{}'")
          .contains("secrets: '{}'")
          .contains("rollout: '{}'");
      assertThat(cluster.connections()).isEmpty();
    }
  }

  @Test
  void lookupIsEmptyWithoutAnyKubeconfig(@TempDir Path tmp) throws Exception {
    Path repo = lookupChart(Files.createDirectories(tmp.resolve("repo")));
    Path home = Files.createDirectories(tmp.resolve("home"));
    // with no kubeconfig, client-go's default is http://localhost:8080: listen there when free
    RecordingPort localDefault = null;
    try {
      localDefault = RecordingPort.open(8080);
    } catch (IOException taken) {
      // another process holds 8080: the render must still not fail or read anything
    }
    try {
      Run run = probe(repo, Map.of("HOME", home.toString()));

      assertThat(run.exit()).as(run.out()).isZero();
      assertThat(run.out()).contains("secret: '{}'").contains("secrets: '{}'");
      if (localDefault != null) {
        // a kubectl run elsewhere on the machine without a kubeconfig asks localhost:8080 too
        assertThat(localDefault.connections())
            .filteredOn(request -> !request.contains("User-Agent: kubectl"))
            .isEmpty();
      }
    } finally {
      if (localDefault != null) {
        localDefault.close();
      }
    }
  }
}
