package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it from your project" blocks are what {@code examples/consumer/pom.xml} holds,
 * so the project CI builds against the installed snapshot follows the README and nothing else.
 */
class ConsumerProjectTest {
  private static final Path PROJECT = Tour.gitopsConfigs().getParent().getParent();

  private static String normalized(String xml) {
    return xml.replaceAll("\\s+", "");
  }

  @Test
  void theConsumerPomIsMadeOfTheReadmeBlocks() {
    String readme = Snippets.read(PROJECT.resolve("README.md"));
    String pom = Snippets.read(PROJECT.resolve("examples/consumer/pom.xml"));
    Matcher m =
        Pattern.compile("<!-- consumer-pom -->\\s*```xml\\n(.*?)```", Pattern.DOTALL)
            .matcher(readme);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }

    assertThat(blocks).as("consumer-pom blocks in README.md").hasSize(2);
    for (String block : blocks) {
      assertThat(normalized(pom))
          .as("examples/consumer/pom.xml holds:%n%s", block)
          .contains(normalized(block));
    }
  }
}
