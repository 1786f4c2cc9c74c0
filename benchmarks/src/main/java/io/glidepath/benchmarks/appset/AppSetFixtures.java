package io.glidepath.benchmarks.appset;

import io.glidepath.appset.ApplicationSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The 1,000-directory repository and the goTemplate ApplicationSet the appset benchmarks use. */
final class AppSetFixtures {
  private AppSetFixtures() {}

  /**
   * {@code apps/svc-0000} .. {@code apps/svc-(n-1)}, each with a kustomization, under {@code root}.
   */
  static Path directories(Path root, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      Path dir =
          Files.createDirectories(root.resolve("apps").resolve(String.format("svc-%04d", i)));
      Files.writeString(
          dir.resolve("kustomization.yaml"),
          "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:"
              + " [deployment.yaml]\n");
    }
    return root;
  }

  /** A git-directories ApplicationSet over {@code apps/*} with goTemplate, reading {@code repo}. */
  static ApplicationSet set(String repo) {
    return ApplicationSet.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: services, namespace: argocd}
        spec:
          goTemplate: true
          goTemplateOptions: ["missingkey=error"]
          generators:
          - git:
              repoURL: %s
              revision: main
              directories:
              - path: apps/*
          template:
            metadata:
              name: '{{.path.basename}}'
              labels:
                team: '{{ .path.basename | trunc 7 }}'
                tier: '{{ if hasSuffix "0" .path.basename }}canary{{ else }}main{{ end }}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: '{{.path.path}}'
              destination:
                server: https://kubernetes.default.svc
                namespace: '{{.path.basename | lower}}'
              syncPolicy:
                automated: {prune: true}
        """
            .formatted(repo, repo),
        "services-appset.yaml");
  }
}
