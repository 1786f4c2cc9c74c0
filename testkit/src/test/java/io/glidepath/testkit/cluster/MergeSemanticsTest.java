package io.glidepath.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import io.glidepath.core.resource.JsonMergePatch;
import io.glidepath.testkit.internal.cluster.FieldPaths;
import io.glidepath.testkit.internal.cluster.LabelSelector;
import io.glidepath.testkit.internal.cluster.StructuredMerge;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import tools.jackson.databind.JsonNode;

class MergeSemanticsTest {
  private static JsonNode json(String s) {
    return Http.MAPPER.readTree(s);
  }

  @Test
  void mergePatchFollowsTheRfc7386Examples() {
    // RFC 7386 appendix A, a selection
    assertThat(JsonMergePatch.apply(json("{\"a\":\"b\"}"), json("{\"a\":\"c\"}")))
        .isEqualTo(json("{\"a\":\"c\"}"));
    assertThat(JsonMergePatch.apply(json("{\"a\":\"b\",\"b\":\"c\"}"), json("{\"a\":null}")))
        .isEqualTo(json("{\"b\":\"c\"}"));
    assertThat(JsonMergePatch.apply(json("{\"a\":[\"b\"]}"), json("{\"a\":\"c\"}")))
        .isEqualTo(json("{\"a\":\"c\"}"));
    assertThat(JsonMergePatch.apply(json("{\"a\":[{\"b\":\"c\"}]}"), json("{\"a\":[1]}")))
        .isEqualTo(json("{\"a\":[1]}"));
    assertThat(JsonMergePatch.apply(json("{\"e\":null}"), json("{\"a\":1}")))
        .isEqualTo(json("{\"e\":null,\"a\":1}"));
    assertThat(JsonMergePatch.apply(json("[1,2]"), json("{\"a\":\"b\",\"c\":null}")))
        .isEqualTo(json("{\"a\":\"b\"}"));
    assertThat(JsonMergePatch.apply(json("{}"), json("{\"a\":{\"bb\":{\"ccc\":null}}}")))
        .isEqualTo(json("{\"a\":{\"bb\":{}}}"));
  }

  /** Maps of up to 8 entries; short keys so that target and patch share some. */
  static Gen<Map<String, String>> stringMaps() {
    return maps()
        .of(strings().ascii().ofLengthBetween(0, 2), strings().allPossible().ofLengthBetween(0, 8))
        .ofSizeBetween(0, 8);
  }

  @Test
  void mergePatchWithItselfIsIdempotent() {
    qt().withExamples(1000)
        .forAll(stringMaps(), stringMaps())
        .checkAssert(MergeSemanticsTest::patchTwiceIsPatchOnce);
  }

  private static void patchTwiceIsPatchOnce(Map<String, String> a, Map<String, String> b) {
    JsonNode target = Http.MAPPER.valueToTree(a);
    JsonNode patch = Http.MAPPER.valueToTree(b);
    JsonNode once = JsonMergePatch.apply(target, patch);

    assertThat(JsonMergePatch.apply(once, patch)).isEqualTo(once);
  }

  @Test
  void applyMergesKeyedListsByKeyAndReplacesAtomicLists() {
    JsonNode live =
        json(
            "{\"containers\":[{\"name\":\"app\",\"image\":\"a:1\",\"args\":[\"x\"]},"
                + "{\"name\":\"proxy\",\"image\":\"p:1\"}]}");
    JsonNode applied =
        json("{\"containers\":[{\"name\":\"app\",\"image\":\"a:2\",\"args\":[\"y\"]}]}");

    JsonNode merged = StructuredMerge.merge(live, applied, null, false);

    assertThat(merged)
        .isEqualTo(
            json(
                "{\"containers\":[{\"name\":\"app\",\"image\":\"a:2\",\"args\":[\"y\"]},"
                    + "{\"name\":\"proxy\",\"image\":\"p:1\"}]}"));
  }

  @Test
  void containerPortsAreKeyedByPortAndProtocol() {
    JsonNode ports =
        json("{\"ports\":[{\"containerPort\":80},{\"containerPort\":53,\"protocol\":\"UDP\"}]}");

    Set<List<String>> leaves = FieldPaths.leaves(ports);

    assertThat(leaves)
        .contains(
            List.of("f:ports", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}"),
            List.of("f:ports", "k:{\"containerPort\":53,\"protocol\":\"UDP\"}", "f:protocol"));
  }

  @Test
  void fieldsV1RoundTrips() {
    JsonNode obj =
        json(
            "{\"metadata\":{\"labels\":{\"a\":\"1\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"i\"}],\"replicas\":2}}");
    Set<List<String>> leaves = FieldPaths.leaves(obj);

    assertThat(FieldPaths.fromFieldsV1(FieldPaths.toFieldsV1(leaves)))
        .containsExactlyInAnyOrderElementsOf(leaves);
  }

  @Test
  void labelSelectorsSupportEveryOperator() {
    Map<String, String> labels = Map.of("env", "prod", "tier", "web");

    assertThat(LabelSelector.parse("env=prod,tier==web").test(labels)).isTrue();
    assertThat(LabelSelector.parse("env!=prod").test(labels)).isFalse();
    assertThat(LabelSelector.parse("env in (prod, staging)").test(labels)).isTrue();
    assertThat(LabelSelector.parse("env notin (prod)").test(labels)).isFalse();
    assertThat(LabelSelector.parse("tier,!canary").test(labels)).isTrue();
    assertThat(LabelSelector.parse("canary").test(labels)).isFalse();
    assertThat(LabelSelector.parse("").test(labels)).isTrue();
  }
}
