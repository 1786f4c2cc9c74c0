package io.glidepath.core.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ValuesTest {

  private static Values v(String yaml) {
    return Values.parse(yaml, "test");
  }

  private static JsonNode json(String json) {
    return Yaml.mapper().readTree(json);
  }

  @Test
  void mergesMapsDeeplyAndReplacesListsAndScalars() {
    Values base = v("image: {repository: r, tag: ''}\nhosts: [a, b]\nreplicaCount: 3\n");
    Values prod = v("image: {tag: v2}\nhosts: [c]\nreplicaCount: 10\n");
    Values merged = base.merge(prod);
    assertThat(merged.get("image.repository")).contains(json("\"r\""));
    assertThat(merged.get("image.tag")).contains(json("\"v2\""));
    assertThat(merged.get("hosts")).contains(json("[\"c\"]"));
    assertThat(merged.get("replicaCount")).contains(json("10"));
  }

  @Test
  void nullDeletesTheKey() {
    Values merged = v("a: {b: 1, c: 2}\n").merge(v("a: {b: null}\n"));
    assertThat(merged.get("a.b")).isEmpty();
    assertThat(merged.compact().toTree()).isEqualTo(json("{\"a\":{\"c\":2}}"));
  }

  @Test
  void setsTypedValuesLikeHelmSet() {
    Values v =
        Values.empty()
            .set("image.tag=abc123,replicas=3,debug=true,ratio=1.5,mode=0644,none=null")
            .set("list={a,b,1}");
    assertThat(v.toTree())
        .isEqualTo(
            json(
                "{\"image\":{\"tag\":\"abc123\"},\"replicas\":3,\"debug\":true,\"ratio\":\"1.5\","
                    + "\"mode\":\"0644\",\"none\":null,\"list\":[\"a\",\"b\",1]}"));
  }

  @Test
  void setStringKeepsStrings() {
    assertThat(Values.empty().setString("tag=123,on=true").toTree())
        .isEqualTo(json("{\"tag\":\"123\",\"on\":\"true\"}"));
  }

  @Test
  void setsListElementsAndEscapedKeys() {
    Values v =
        v("ingress: {hosts: [{host: a, paths: [x]}, {host: b}]}\n")
            .set("ingress.hosts[1].host=c")
            .set("annotations.kubernetes\\.io/ingress\\.class=nginx")
            .set("args[2]=x")
            .set("msg=a\\,b");
    assertThat(v.get("ingress.hosts[0].host")).contains(json("\"a\""));
    assertThat(v.get("ingress.hosts[1].host")).contains(json("\"c\""));
    assertThat(v.toTree().at("/annotations/kubernetes.io~1ingress.class").stringValue())
        .isEqualTo("nginx");
    assertThat(v.get("args")).contains(json("[null,null,\"x\"]"));
    assertThat(v.get("msg")).contains(json("\"a,b\""));
  }

  @Test
  void reportsBadSetExpressions() {
    assertThatThrownBy(() -> Values.empty().set("novalue"))
        .isInstanceOf(ValuesException.class)
        .hasMessageContaining("novalue")
        .hasMessageContaining("has no value");
    assertThatThrownBy(() -> Values.empty().set("a[x]=1"))
        .isInstanceOf(ValuesException.class)
        .hasMessageContaining("list index");
    assertThatThrownBy(() -> Values.empty().set("[0]=1")).isInstanceOf(ValuesException.class);
  }

  @Test
  void readsAndWritesByPath() {
    Values v = Values.empty().with("image.tag", json("\"v3\"")).with("a.b[1].c", json("1"));
    assertThat(v.get("image.tag")).contains(json("\"v3\""));
    assertThat(v.toTree())
        .isEqualTo(json("{\"image\":{\"tag\":\"v3\"},\"a\":{\"b\":[null,{\"c\":1}]}}"));
    assertThat(v.get("a.missing.deeper")).isEmpty();
  }

  @Test
  void mergeIsAssociative() {
    qt().withExamples(300)
        .forAll(values(), values(), values())
        .checkAssert((a, b, c) -> assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c))));
  }

  @Test
  void mergingWithEmptyIsIdentity() {
    qt().withExamples(200)
        .forAll(values())
        .checkAssert(
            a -> {
              assertThat(a.merge(Values.empty())).isEqualTo(a);
              assertThat(Values.empty().merge(a)).isEqualTo(a);
            });
  }

  static Gen<Values> values() {
    return tree(3).map(t -> Values.of(t));
  }

  private static Gen<JsonNode> tree(int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Gen<JsonNode> leaf =
        Generate.oneOf(
            integers().between(0, 3).map(i -> (JsonNode) f.numberNode(i)),
            arbitrary().pick("x", "y").map(s -> (JsonNode) f.stringNode(s)),
            Generate.constant(() -> (JsonNode) f.nullNode()),
            Generate.constant(() -> (JsonNode) f.arrayNode().add(1)));
    Gen<JsonNode> child = depth == 0 ? leaf : Generate.oneOf(leaf, tree(depth - 1));
    return lists()
        .of(arbitrary().pick("a", "b", "c").zip(child, Pair::of))
        .ofSizeBetween(0, 3)
        .map(
            entries -> {
              ObjectNode o = f.objectNode();
              entries.forEach(e -> o.set(e._1, e._2));
              return o;
            });
  }
}
