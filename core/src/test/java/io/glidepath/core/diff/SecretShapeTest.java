package io.glidepath.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.internal.diff.SecretMasker;
import io.glidepath.core.resource.InvalidResourceException;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Secrets of every shape: values are masked whatever they hold, and a Secret the API server would
 * refuse is a typed error naming the key, never the value (CVE-2025-23216 class).
 */
class SecretShapeTest {
  private static final String HEAD =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n";

  private static ResourceSet set(String body) {
    return ResourceSet.of(Yaml.readResources(HEAD + body, "s.yaml"));
  }

  private static void detect(String desired, String live) {
    DriftDetector.of(DiffOptions.ofDefaults()).detect(set(desired), set(live));
  }

  @Test
  void aListInPlaceOfDataIsRefusedWithoutItsValue() {
    assertThatThrownBy(() -> detect("data:\n  - c2VjcmV0LWxpc3Q=\n", "data: {}\n"))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageContaining("Secret default/s: data must be a map of key to value, but is a list")
        .message()
        .doesNotContain("c2VjcmV0LWxpc3Q=");
  }

  @Test
  void aStringInPlaceOfDataIsRefusedWithoutItsValue() {
    assertThatThrownBy(() -> detect("data: {}\n", "data: c3RyaW5nLXZhbHVl\n"))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageContaining("data must be a map")
        .message()
        .doesNotContain("c3RyaW5nLXZhbHVl");
  }

  @Test
  void aMapValuedEntryNamesItsKey() {
    assertThatThrownBy(() -> detect("data: {}\n", "data:\n  k:\n    nested: c2VjcmV0\n"))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageContaining("data.k must be a string, but is a map")
        .message()
        .doesNotContain("c2VjcmV0");
  }

  @Test
  void aNumberInStringDataNamesItsKeyNotItsValue() {
    assertThatThrownBy(() -> detect("stringData:\n  pin: !!int 12345678\n", "data: {}\n"))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessageContaining("stringData.pin must be a string, but is a number (quote it)")
        .message()
        .doesNotContain("12345678");
  }

  @Test
  void aMissingOrExtraneousMalformedSecretIsRefusedToo() {
    DriftDetector detector = DriftDetector.of(DiffOptions.ofDefaults());
    assertThatThrownBy(() -> detector.detect(set("data: [a2V5]\n"), ResourceSet.of(List.of())))
        .isInstanceOf(InvalidResourceException.class);
    assertThatThrownBy(() -> detector.detect(ResourceSet.of(List.of()), set("data: [a2V5]\n")))
        .isInstanceOf(InvalidResourceException.class);
  }

  @Test
  void envDiffRefusesAMalformedSecret() {
    assertThatThrownBy(
            () -> EnvironmentDiff.compare("a", set("data: [a2V5]\n"), "b", set("data: {}\n")))
        .isInstanceOf(InvalidResourceException.class)
        .message()
        .doesNotContain("a2V5");
  }

  @Test
  void aTaggedScalarThatIsNotOfItsTypeIsNeverQuoted() {
    assertThatThrownBy(() -> set("stringData:\n  password: !!int hunter2\n"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("s.yaml:5")
        .hasMessageContaining("tagged !!int")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void theMaskerMasksEveryShapeWhole() {
    ObjectNode list = (ObjectNode) Yaml.readTree(HEAD + "data: [c2VjcmV0LWxpc3Q=]\n", "a");
    ObjectNode string = (ObjectNode) Yaml.readTree(HEAD + "stringData: hunter2\n", "b");
    ObjectNode nested = (ObjectNode) Yaml.readTree(HEAD + "data: {k: {n: aHVudGVy}, i: 7}\n", "c");

    SecretMasker.maskAll(List.of(list, string, nested), true, Set.of());

    String all = list.toString() + string + nested;
    assertThat(all).doesNotContain("c2VjcmV0LWxpc3Q=", "hunter2", "aHVudGVy", ":7");
    assertThat(list.get("data").stringValue()).startsWith("++++++++");
    assertThat(nested.at("/data/k").stringValue()).startsWith("++++++++");
  }
}
