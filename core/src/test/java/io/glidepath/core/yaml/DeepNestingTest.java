package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.values.Values;
import io.glidepath.core.values.ValuesException;
import org.junit.jupiter.api.Test;

/**
 * 5,000 levels of nesting end with a typed error naming the file and line, in every reader, before
 * anything recurses that deep (issue 15, item 7): no StackOverflowError.
 */
class DeepNestingTest {
  private static final int DEEP = 5_000;

  @Test
  void flowSequencesDeeperThanTheLimitAreRefusedWithTheirLine() {
    String yaml = "a: 1\nb: " + "[".repeat(DEEP) + "]".repeat(DEEP) + "\n";

    assertThatThrownBy(() -> Yaml.readTree(yaml, "deep.yaml"))
        .isInstanceOfSatisfying(
            YamlException.class, e -> assertThat(e.origin().line()).isEqualTo(2))
        .hasMessageContaining("deep.yaml:2:")
        .hasMessageContaining("nesting deeper than 100 levels");
  }

  @Test
  void flowMappingsDeeperThanTheLimitAreRefused() {
    String yaml = "{a: ".repeat(DEEP) + "1" + "}".repeat(DEEP);

    assertThatThrownBy(() -> Yaml.readResources(yaml, "deep.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("nesting deeper than 100 levels");
  }

  @Test
  void blockMappingsDeeperThanTheLimitAreRefused() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      yaml.append(" ".repeat(i)).append("k:\n");
    }

    assertThatThrownBy(() -> Yaml.readTree(yaml.toString(), "deep.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("deep.yaml:101:");
  }

  @Test
  void aLaterDocumentIsNamedByItsOwnLine() {
    String yaml = "a: 1\n---\nb: 2\n---\nc: " + "[".repeat(DEEP) + "]".repeat(DEEP) + "\n";

    assertThatThrownBy(() -> Yaml.readDocuments(yaml, "multi.yaml"))
        .isInstanceOfSatisfying(
            YamlException.class,
            e -> {
              assertThat(e.origin().documentIndex()).isEqualTo(2);
              assertThat(e.origin().line()).isEqualTo(5);
            });
  }

  @Test
  void nestingUpToTheLimitIsRead() {
    String yaml = "[".repeat(100) + "]".repeat(100);
    assertThat(Yaml.readTree(yaml, "ok.yaml").isArray()).isTrue();
  }

  @Test
  void aHelmParameterPathDeeperThanTheLimitIsRefusedBeforeItIsBuilt() {
    String name = "a" + ".a".repeat(2_999);

    assertThatThrownBy(() -> Values.empty().set(name + "=x"))
        .isInstanceOf(ValuesException.class)
        .hasMessageContaining("more than 100 segments")
        .hasMessageContaining("(6001 characters)");
    String indexes = "a" + "[0]".repeat(3_000);
    assertThatThrownBy(() -> Values.empty().setString(indexes + "=x"))
        .isInstanceOf(ValuesException.class)
        .hasMessageContaining("more than 100 segments");
  }
}
