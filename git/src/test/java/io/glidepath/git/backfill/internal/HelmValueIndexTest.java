package io.glidepath.git.backfill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

class HelmValueIndexTest {
  @Test
  void laterFilesOverrideAndTheLastSetterIsNamed() {
    HelmValueIndex index = new HelmValueIndex();
    index.addLayer(
        Yaml.readTree("replicaCount: 3\nimage: {tag: abc}\nports: [80, 10]\n", "v"), "values.yaml");
    index.addLayer(
        Yaml.readTree("replicaCount: 10\nports: [443]\n", "p"), "values-production.yaml");
    assertThat(index.holding(IntNode.valueOf(10)))
        .extracting(HelmValueIndex.Leaf::key, HelmValueIndex.Leaf::file)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("replicaCount", "values-production.yaml"));
    assertThat(index.holding(IntNode.valueOf(3))).isEmpty();
    assertThat(index.holding(IntNode.valueOf(80))).isEmpty();
    assertThat(index.holding(StringNode.valueOf("abc")))
        .extracting(HelmValueIndex.Leaf::key)
        .containsExactly("image.tag");
  }

  @Test
  void aQuotedNumberMatchesTheRenderedNumber() {
    HelmValueIndex index = new HelmValueIndex();
    index.addLayer(Yaml.readTree("port: \"8080\"\n", "v"), "values.yaml");
    assertThat(index.holding(IntNode.valueOf(8080))).hasSize(1);
  }
}
