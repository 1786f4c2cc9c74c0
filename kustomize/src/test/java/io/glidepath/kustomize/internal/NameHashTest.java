package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;

/** Hash suffixes checked against what kubectl kustomize (v5.5) printed for the same objects. */
class NameHashTest {
  private static String hash(String yaml) {
    return NameHash.of(Yaml.readTree(yaml, "test"));
  }

  @Test
  void configMapHashEqualsKustomizeForHtmlAndNonAsciiValues() {
    assertThat(
            hash(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cm}
                data: {A: "yes", B: "<a&b>", C: q, D: é}
                """))
        .isEqualTo("m9994bh5ft");
  }

  @Test
  void secretHashIncludesTheType() {
    assertThat(
            hash(
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                type: Opaque
                data: {P: c2VjcmV0}
                """))
        .isEqualTo("d9m2bd67d2");
    assertThat(
            hash(
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: s2}
                type: kubernetes.io/tls
                data: {tls.crt: YQ==, tls.key: Yg==}
                """))
        .isEqualTo("m6h7bkm2dg");
  }
}
