package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.Origin;
import io.glidepath.core.yaml.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class NameReferencesTest {
  private static Res res(String yaml) {
    return new Res((ObjectNode) Yaml.readTree(yaml, "t"), Origin.UNKNOWN);
  }

  private static final String DEPLOY =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        template:
          spec:
            containers:
            - name: c
              envFrom: [{configMapRef: {name: cfg}}]
            volumes: [{name: v, configMap: {name: cfg}}]
      """;

  @Test
  void renamedConfigMapIsRenamedWhereADeploymentUsesIt() {
    Res cm = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n");
    Res d = res(DEPLOY);
    cm.setName("cfg-abc");
    NameReferences.fix(List.of(cm, d));
    assertThat(d.body.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asString())
        .isEqualTo("cfg-abc");
    assertThat(d.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("cfg-abc");
  }

  @Test
  void onlyTheReferrersNamespaceCounts() {
    Res cm = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: other}\n");
    cm.setName("x-cfg");
    Res d = res(DEPLOY);
    NameReferences.fix(List.of(cm, d));
    assertThat(d.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("cfg");
  }

  @Test
  void prefixesDecideBetweenCandidatesAndAmbiguityIsAnError() {
    Res a = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n");
    Res b = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n");
    a.setName("a-cfg");
    a.prefixes.add("a-");
    b.setName("b-cfg");
    b.prefixes.add("b-");
    Res d = res(DEPLOY);
    d.setName("b-d");
    d.prefixes.add("b-");
    NameReferences.fix(List.of(a, b, d));
    assertThat(d.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("b-cfg");

    Res unprefixed = res(DEPLOY);
    assertThatThrownBy(() -> NameReferences.fix(List.of(a, b, unprefixed)))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("ambiguous");
  }

  @Test
  void roleRefFollowsItsKind() {
    Res role = res("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n");
    role.setName("p-r");
    Res binding =
        res(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n"
                + "roleRef: {kind: ClusterRole, name: r}\n");
    NameReferences.fix(List.of(role, binding));
    assertThat(binding.body.at("/roleRef/name").asString()).isEqualTo("r");
  }
}
