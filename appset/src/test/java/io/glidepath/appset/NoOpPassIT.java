package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.kube.KubeCluster;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pass over 1,000 unchanged generated Applications writes nothing to the control plane. */
class NoOpPassIT {
  @Test
  void aPassOverAThousandUnchangedApplicationsWritesNothing(@TempDir Path tree) throws Exception {
    for (int i = 0; i < 1000; i++) {
      Path dir =
          Files.createDirectories(tree.resolve("apps").resolve(String.format("svc-%04d", i)));
      Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\n");
    }
    try (EmbeddedCluster embedded = EmbeddedCluster.start();
        KubeCluster control = KubeCluster.connect(embedded.config())) {
      control
          .client()
          .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
          .serverSideApply();
      control
          .client()
          .resource(
              """
              apiVersion: argoproj.io/v1alpha1
              kind: ApplicationSet
              metadata: {name: services, namespace: argocd}
              spec:
                goTemplate: true
                generators:
                - git:
                    repoURL: https://git.example/services.git
                    revision: main
                    directories: [{path: apps/*}]
                template:
                  metadata:
                    name: '{{.path.basename}}'
                    labels: {team: '{{.path.basename | trunc 7}}'}
                  spec:
                    project: default
                    source: {repoURL: https://git.example/services.git, path: '{{.path.path}}'}
                    destination: {server: https://kubernetes.default.svc, namespace: '{{.path.basename}}'}
                    syncPolicy: {automated: {prune: true}}
              """)
          .inNamespace("argocd")
          .create();
      GeneratorContext context =
          GeneratorContext.of(List.of(), GeneratorContext.Repositories.directory(tree));
      try (ApplicationSetController c =
          ApplicationSetController.builder(control, "argocd", "services", context).build()) {
        assertThat(c.reconcile().created()).hasSize(1000);
        embedded.clearRequests();

        ApplicationSetController.Pass again = c.reconcile();

        assertThat(again.wroteNothing()).isTrue();
        assertThat(embedded.writes()).isEmpty();
        assertThat(embedded.requests()).as("it did read").isNotEmpty();
      }
    }
  }
}
