package io.glidepath.core.internal.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  @Test
  void printsHunksWithThreeLinesOfContext() {
    String from = "a\nb\nc\nd\ne\nf\ng\nh\n";
    String to = "a\nb\nc\nd\nE\nf\ng\nh\n";
    assertThat(UnifiedDiff.of("live/x", "desired/x", from, to))
        .isEqualTo("--- live/x\n+++ desired/x\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
  }

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(UnifiedDiff.of("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
  }

  @Test
  void hugeRewritesDoNotBuildAHugeTable() {
    String from =
        IntStream.range(0, 5000).mapToObj(i -> "old" + i).collect(Collectors.joining("\n"));
    String to = IntStream.range(0, 5000).mapToObj(i -> "new" + i).collect(Collectors.joining("\n"));
    String diff =
        UnifiedDiff.of("a", "b", "keep\n" + from + "\nkeep\n", "keep\n" + to + "\nkeep\n");
    assertThat(diff).startsWith("--- a\n+++ b\n@@ -1,5002 +1,5002 @@\n keep\n-old0\n");
    assertThat(diff).endsWith("+new4999\n keep\n");
  }
}
