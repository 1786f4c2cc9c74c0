package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.Origin;
import org.junit.jupiter.api.Test;

class FieldPositionsTest {
  private static final String TWO_DOCUMENTS =
      """
      kind: Rollout
      spec:
        strategy:
          canary:
            steps:
              - setWeight: 20
              -   pause: {duration: 1m}
      ---
      kind: AnalysisTemplate
      spec:
        metrics: [{name: errors}]
      """;

  @Test
  void namesTheLineAndColumnOfEveryFieldByDottedPathPerDocument() {
    FieldPositions positions = FieldPositions.of(TWO_DOCUMENTS, "canary.yaml");

    assertThat(positions.document(0).get("spec.strategy.canary.steps[1].pause"))
        .isEqualTo(new Origin("canary.yaml", 0, 7, 13));
    assertThat(positions.document(0).get("spec.strategy.canary.steps[1]"))
        .isEqualTo(new Origin("canary.yaml", 0, 7, 13));
    assertThat(positions.document(0).get("spec.strategy.canary.steps[0].setWeight"))
        .isEqualTo(new Origin("canary.yaml", 0, 6, 11));
    assertThat(positions.document(1).get("spec.metrics[0].name"))
        .isEqualTo(new Origin("canary.yaml", 1, 11, 14));
    assertThat(positions.document(1)).doesNotContainKey("spec.strategy");
    assertThat(positions.document(2)).isEmpty();
  }

  @Test
  void keepsWhatPrecedesUnreadableTextAndNothingOfIt() {
    FieldPositions positions = FieldPositions.of("a: 1\n---\nb: [unclosed\n", "bad.yaml");

    assertThat(positions.document(0)).containsKey("a");
    assertThat(positions.document(1)).isEmpty();
    assertThat(FieldPositions.none().document(0)).isEmpty();
  }

  @Test
  void stopsIndexingBelowSixtyFourLevels() {
    String deep = "{a: ".repeat(80) + "1" + "}".repeat(80);

    var document = FieldPositions.of(deep, "deep.yaml").document(0);

    assertThat(document).containsKey("a" + ".a".repeat(63));
    assertThat(document).doesNotContainKey("a" + ".a".repeat(66));
  }
}
