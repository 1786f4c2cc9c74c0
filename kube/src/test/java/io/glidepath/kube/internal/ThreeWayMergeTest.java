package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ThreeWayMergeTest {
  private static JsonNode json(String s) {
    return Yaml.mapper().readTree(s);
  }

  @Test
  void deletesWhatWasAppliedBeforeButLeavesOthersFieldsAlone() {
    JsonNode last = json("{\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
    JsonNode desired = json("{\"data\":{\"a\":\"1\"}}");
    JsonNode live = json("{\"data\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");

    assertThat(ThreeWayMerge.patch(last, desired, live)).isEqualTo(json("{\"data\":{\"b\":null}}"));
  }

  @Test
  void setsChangedValuesAndReplacesListsWhole() {
    JsonNode desired = json("{\"spec\":{\"replicas\":3,\"ports\":[{\"port\":80}]}}");
    JsonNode live = json("{\"spec\":{\"replicas\":2,\"ports\":[{\"port\":80},{\"port\":81}]}}");

    assertThat(ThreeWayMerge.patch(null, desired, live))
        .isEqualTo(json("{\"spec\":{\"replicas\":3,\"ports\":[{\"port\":80}]}}"));
  }

  @Test
  void isEmptyWhenLiveAlreadyMatches() {
    JsonNode desired = json("{\"data\":{\"a\":\"1\"}}");

    assertThat(ThreeWayMerge.patch(desired, desired, json("{\"data\":{\"a\":\"1\"},\"x\":1}")))
        .isEmpty();
  }
}
