package io.glidepath.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceSetTest {

  private static Resource read(String yaml, String source) {
    return Yaml.readResources(yaml, source).get(0);
  }

  @Test
  void namesBothOriginsOfADuplicateKey() {
    Resource a =
        read(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\n",
            "a.yaml");
    Resource b =
        read(
            "\napiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\n",
            "b.yaml");
    assertThatThrownBy(() -> ResourceSet.of(a, b))
        .isInstanceOf(DuplicateResourceException.class)
        .hasMessage(
            "duplicate resource apps/Deployment:prod/web: defined in a.yaml:1:1 and again in b.yaml:2:1");
  }

  @Test
  void keepsInsertionOrder() {
    List<Resource> list = new ArrayList<>();
    for (String n : List.of("c", "a", "b")) {
      list.add(read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + n + "}\n", n));
    }
    assertThat(ResourceSet.of(list).stream().map(Resource::name)).containsExactly("c", "a", "b");
  }

  @Test
  void printsKeysLikeKubectlReferences() {
    Resource d =
        read(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: trade-service, namespace: production}\n",
            "d");
    Resource s =
        read("apiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: production}\n", "s");
    assertThat(d.key()).hasToString("apps/Deployment:production/trade-service");
    assertThat(s.key()).hasToString("Service:production/svc");
  }

  @Test
  void editsAreCopyOnWrite() {
    Resource d =
        read(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n",
            "d");
    Resource scaled = d.edit(b -> b.withObjectProperty("spec").put("replicas", 5));
    assertThat(d.at("/spec/replicas").intValue()).isEqualTo(1);
    assertThat(scaled.at("/spec/replicas").intValue()).isEqualTo(5);
    assertThat(scaled.origin()).isEqualTo(d.origin());
    assertThat(d.withNamespace("prod").key().namespace()).isEqualTo("prod");
    assertThat(d.withLabel("app", "web").labels()).containsEntry("app", "web");
  }

  @Test
  void toStringNeverShowsTheBody() {
    Resource secret =
        read(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n",
            "s");
    assertThat(secret.toString()).doesNotContain("hunter2");
  }
}
