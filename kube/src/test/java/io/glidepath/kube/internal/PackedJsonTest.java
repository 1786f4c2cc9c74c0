package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PackedJsonTest {
  private static String deployment(String app, int replicas) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s","namespace":"apps",\
        "uid":"%3$s","resourceVersion":"%2$d","annotations":{"argocd.argoproj.io/tracking-id":\
        "%1$s:apps/Deployment:apps/%1$s"},"managedFields":[{"manager":"glidepath","fieldsV1":\
        {"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"main\\"}":\
        {"f:image":{}}}}}}}}]},"spec":{"replicas":%2$d,"selector":{"matchLabels":{"app":"%1$s"}},\
        "template":{"metadata":{"labels":{"app":"%1$s"}},"spec":{"containers":[{"name":"main",\
        "image":"registry.example/%1$s:1.0","ports":[{"containerPort":8080}]}]}}},\
        "status":{"replicas":%2$d,"readyReplicas":%2$d,"observedGeneration":1}}"""
        .formatted(app, replicas, java.util.UUID.nameUUIDFromBytes(app.getBytes()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsBackEveryDocumentPacked() {
    PackedJson packed = new PackedJson();
    List<byte[]> kept = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      kept.add(packed.pack(utf8(deployment("app-" + i, i))));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(new String(packed.unpack(kept.get(i)), StandardCharsets.UTF_8))
          .isEqualTo(deployment("app-" + i, i));
    }
  }

  @Test
  void objectsLikeTheFirstPackToAFractionOfTheirJson() {
    PackedJson packed = new PackedJson();
    packed.pack(utf8(deployment("app-00000", 1)));
    byte[] json = utf8(deployment("app-00001", 3));
    byte[] p = packed.pack(json);
    assertThat(p.length).isLessThan(json.length / 5);
    // a document unlike the reference still reads back, non-ASCII text included
    byte[] other = utf8("{\"kind\":\"ConfigMap\",\"data\":{\"greeting\":\"grüß dich, 你好\"}}");
    assertThat(packed.unpack(packed.pack(other))).isEqualTo(other);
  }

  @Test
  void aReferenceLongerThanTheWindowKeepsItsTail() {
    PackedJson packed = new PackedJson();
    StringBuilder big = new StringBuilder("{\"data\":{");
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 4000; i++) {
      big.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(random.nextInt());
    }
    big.append("}}");
    byte[] json = utf8(big.toString());
    assertThat(json.length).isGreaterThan(32 * 1024);
    byte[] p = packed.pack(json);
    assertThat(packed.dictionarySize()).isEqualTo(32 * 1024);
    assertThat(packed.unpack(p)).isEqualTo(json);
    JsonNode tree = packed.tree(packed.pack(utf8(deployment("app-1", 2))));
    assertThat(tree.at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void threadsPackAndUnpackAtOnce() throws Exception {
    PackedJson packed = new PackedJson();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    String doc = deployment("app-" + thread + "-" + i, i);
                    byte[] p = packed.pack(utf8(doc));
                    if (!new String(packed.unpack(p), StandardCharsets.UTF_8).equals(doc)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Yaml.mapper().readTree(packed.unpack(packed.pack(utf8("{}")))).isEmpty()).isTrue();
  }
}
