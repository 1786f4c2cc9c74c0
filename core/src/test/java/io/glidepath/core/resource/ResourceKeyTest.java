package io.glidepath.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceKeyTest {
  private static final ResourceKey KEY =
      new ResourceKey("apps", "Deployment", "production", "trade-service");

  @Test
  void equalWhenEveryComponentIsEqual() {
    assertThat(KEY)
        .isEqualTo(new ResourceKey("apps", "Deployment", "production", "trade-service"))
        .isNotEqualTo(new ResourceKey("", "Deployment", "production", "trade-service"))
        .isNotEqualTo(new ResourceKey("apps", "StatefulSet", "production", "trade-service"))
        .isNotEqualTo(new ResourceKey("apps", "Deployment", "staging", "trade-service"))
        .isNotEqualTo(new ResourceKey("apps", "Deployment", "production", "other"))
        .isNotEqualTo(null)
        .isNotEqualTo(KEY.toString());
  }

  @Test
  void hashCodeIsTheOneARecordGenerates() {
    // written out by hand; hash-ordered sets and maps of keys must keep the order they had with the
    // record's generated hashCode (components folded as h * 31 + hash, from 0)
    for (ResourceKey k :
        List.of(KEY, new ResourceKey("", "Namespace", "", "production"), KEY.withNamespace(""))) {
      int expected = 0;
      for (String c : List.of(k.group(), k.kind(), k.namespace(), k.name())) {
        expected = expected * 31 + c.hashCode();
      }
      assertThat(k.hashCode()).isEqualTo(expected);
    }
    Set<ResourceKey> set = new LinkedHashSet<>(List.of(KEY, KEY.withNamespace("production")));
    assertThat(set).containsExactly(KEY);
  }

  @Test
  void ordersByGroupThenKindThenNamespaceThenName() {
    List<ResourceKey> sorted =
        List.of(
            new ResourceKey("", "Service", "b", "a"),
            new ResourceKey("", "ConfigMap", "b", "z"),
            new ResourceKey("apps", "Deployment", "a", "b"),
            new ResourceKey("apps", "Deployment", "a", "a"),
            new ResourceKey("", "ConfigMap", "a", "z"));
    assertThat(sorted.stream().sorted().toList())
        .containsExactly(
            new ResourceKey("", "ConfigMap", "a", "z"),
            new ResourceKey("", "ConfigMap", "b", "z"),
            new ResourceKey("", "Service", "b", "a"),
            new ResourceKey("apps", "Deployment", "a", "a"),
            new ResourceKey("apps", "Deployment", "a", "b"));
    assertThat(KEY.compareTo(KEY.withNamespace("production"))).isZero();
    assertThat(KEY.compareTo(KEY.withNamespace("a"))).isPositive();
    assertThat(KEY.withNamespace("a").compareTo(KEY)).isNegative();
  }
}
