package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What tells a status the server stored from one it kept instead of the patch. */
class StatusWriterTest {
  private static JsonNode json(String text) {
    return Yaml.mapper().readTree(text);
  }

  @Test
  void aStoredStatusHasWhatThePatchSetsAndNotWhatItRemoves() {
    JsonNode patch =
        json(
            """
            {"sync": {"status": "Synced", "revision": "abc", "comparedTo": null},
             "history": [{"id": 1}, {"id": 2}], "summary": {"images": null}, "retries": 3}
            """);
    JsonNode stored =
        json(
            """
            {"sync": {"status": "Synced", "revision": "abc"}, "health": {"status": "Healthy"},
             "history": [{"id": 1}, {"id": 2}], "retries": 3}
            """);

    assertThat(StatusWriter.statusKept(patch, stored)).isTrue();
  }

  @Test
  void aStatusTheServerKeptInsteadOfThePatchIsTold() {
    JsonNode patch = json("{\"sync\": {\"status\": \"Synced\"}, \"history\": [{\"id\": 1}]}");

    assertThat(StatusWriter.statusKept(patch, json("{\"sync\": {\"status\": \"OutOfSync\"}}")))
        .isFalse();
    assertThat(StatusWriter.statusKept(patch, json("{}"))).isFalse();
    assertThat(
            StatusWriter.statusKept(
                patch, json("{\"sync\": {\"status\": \"Synced\"}, \"history\": []}")))
        .as("a list of another length")
        .isFalse();
    assertThat(
            StatusWriter.statusKept(
                json("{\"operationState\": null}"),
                json("{\"operationState\": {\"phase\": \"Running\"}}")))
        .as("a field the patch removes, still there")
        .isFalse();
  }

  @Test
  void numbersCompareByValueWhateverTheirNodeType() {
    ObjectNode patch = Yaml.mapper().createObjectNode().put("id", 7L).put("ratio", 0.5);

    assertThat(StatusWriter.statusKept(patch, json("{\"id\": 7, \"ratio\": 0.5}"))).isTrue();
    assertThat(StatusWriter.statusKept(patch, json("{\"id\": 8, \"ratio\": 0.5}"))).isFalse();
  }
}
