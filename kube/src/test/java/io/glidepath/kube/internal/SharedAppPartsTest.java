package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import org.junit.jupiter.api.Test;

class SharedAppPartsTest {
  private static Application app(String name, String extra) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd, labels: {team: shop}}
        spec:
          project: shop
          sources:
          - {repoURL: "https://git.example/configs.git", targetRevision: main, path: apps/%1$s}
          - {repoURL: "https://git.example/values.git", targetRevision: v2, ref: values%s}
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
          syncPolicy: {automated: {prune: true, selfHeal: true}, syncOptions: [CreateNamespace=true]}
          ignoreDifferences:
          - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
        """
            .formatted(name, extra),
        name + ".yaml");
  }

  @Test
  void aCopyIsEqualToTheAppAndSharesWhatAppsHaveInCommon() {
    SharedAppParts parts = new SharedAppParts();
    Application one = app("cart", "");
    Application two = app("checkout", "");
    Application copyOne = parts.copyOf(one);
    Application copyTwo = parts.copyOf(two);

    assertThat(copyOne).isEqualTo(one).isNotSameAs(one);
    assertThat(copyOne.hashCode()).isEqualTo(one.hashCode());
    assertThat(copyTwo).isEqualTo(two);
    assertThat(copyOne.destination()).isSameAs(copyTwo.destination());
    assertThat(copyOne.syncPolicy()).isSameAs(copyTwo.syncPolicy());
    assertThat(copyOne.project()).isSameAs(copyTwo.project());
    assertThat(copyOne.namespace()).isSameAs(copyTwo.namespace());
    assertThat(copyOne.source().repoURL()).isSameAs(copyTwo.source().repoURL());
    assertThat(copyOne.sources().get(1).targetRevision())
        .isSameAs(copyTwo.sources().get(1).targetRevision());
    assertThat(copyOne.source()).isSameAs(copyOne.sources().get(0)).isNotEqualTo(copyTwo.source());
    // what differs stays the app's own
    Application other = parts.copyOf(app("cart", "2"));
    assertThat(other).isNotEqualTo(one);
    assertThat(other.sources().get(1).ref()).contains("values2");
  }
}
