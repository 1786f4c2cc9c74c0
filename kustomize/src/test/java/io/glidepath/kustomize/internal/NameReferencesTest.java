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

  private static void rename(Res r, String name) {
    r.storePreviousId();
    r.setName(name);
  }

  private static void fix(List<Res> all) {
    NameReferences.fix(all, TransformerConfig.defaults());
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
    rename(cm, "cfg-abc");
    fix(List.of(cm, d));
    assertThat(d.body.at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name").asString())
        .isEqualTo("cfg-abc");
    assertThat(d.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("cfg-abc");
  }

  @Test
  void onlyTheReferrersNamespaceCounts() {
    Res cm = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: other}\n");
    rename(cm, "x-cfg");
    Res d = res(DEPLOY);
    fix(List.of(cm, d));
    assertThat(d.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("cfg");
  }

  @Test
  void prefixesDecideBetweenCandidatesAndAmbiguityIsAnError() {
    Res a = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n");
    Res b = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n");
    rename(a, "a-cfg");
    a.prefixes.add("a-");
    rename(b, "b-cfg");
    b.prefixes.add("b-");
    Res d = res(DEPLOY);
    rename(d, "b-d");
    d.prefixes.add("b-");
    fix(List.of(a, b, d));
    assertThat(d.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("b-cfg");

    // a referrer renamed by no layer cannot choose: kustomize leaves the reference alone
    Res unprefixed = res(DEPLOY);
    fix(List.of(a, b, unprefixed));
    assertThat(unprefixed.body.at("/spec/template/spec/volumes/0/configMap/name").asString())
        .isEqualTo("cfg");
  }

  @Test
  void twoServiceAccountsAClusterRoleBindingCouldMeanAreAnError() {
    Res a = res("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: a}\n");
    Res b = res("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: b}\n");
    a.storePreviousId();
    b.storePreviousId();
    Res crb =
        res(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
                + "metadata: {name: crb}\nroleRef: {apiGroup: rbac.authorization.k8s.io,"
                + " kind: ClusterRole, name: r}\nsubjects: [{kind: ServiceAccount, name: sa}]\n");
    assertThatThrownBy(() -> fix(List.of(a, b, crb)))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("found multiple possible referrals")
        .hasMessageContaining("ServiceAccount.v1.[noGrp]/sa.a");
  }

  @Test
  void roleRefFollowsItsKind() {
    Res role = res("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n");
    rename(role, "p-r");
    Res binding =
        res(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n"
                + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\n");
    fix(List.of(role, binding));
    assertThat(binding.body.at("/roleRef/name").asString()).isEqualTo("r");
  }
}
