package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.glidepath.examples.tour.Snippets.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README.md's code blocks marked {@code <!-- snippet: name -->} identical (whitespace aside)
 * to the regions {@code // tag::name[]} of the compiled and tested sources, so that what a user
 * copies from the README compiles and does what the README says.
 */
class ReadmeSnippetsTest {
  private static final Path PROJECT = Tour.gitopsConfigs().getParent().getParent();
  private static final Path README = PROJECT.resolve("README.md");

  /** Files the README names that a command writes (benchmarks/run.sh). */
  private static final Set<String> GENERATED = Set.of("benchmarks/RESULTS.md");

  private static Map<String, Block> sourceRegions() {
    return Snippets.regions(PROJECT, PROJECT.resolve("examples/src"));
  }

  private static List<Block> readmeBlocks() {
    return Snippets.markedBlocks("README.md", Snippets.read(README));
  }

  @Test
  void everyMarkedReadmeBlockShowsItsSourceRegion() {
    Map<String, Block> regions = sourceRegions();
    List<String> problems = new ArrayList<>();
    for (Block block : readmeBlocks()) {
      Block region = regions.get(block.name());
      if (region == null) {
        problems.add(
            "README block '"
                + block.name()
                + "' ("
                + block.location()
                + ") names no region; regions: "
                + regions.keySet());
        continue;
      }
      Snippets.difference(block, region).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n\n", problems));
    }
  }

  @Test
  void everySourceRegionIsShownInTheReadme() {
    List<String> shown = readmeBlocks().stream().map(Block::name).toList();
    assertThat(sourceRegions().keySet())
        .as("regions the README does not show (add <!-- snippet: name --> and the code)")
        .isSubsetOf(shown);
    assertThat(shown)
        .as("the tour and the simulator example")
        .contains(
            "render",
            "drift",
            "canary-plan",
            "analysis-evaluator",
            "rollout-driver",
            "simulator-junit");
  }

  /**
   * What a README comment says code prints is checked only in compiled snippets ({@code
   * ApiTourTest}): a block that is not compiled must not say it.
   */
  @Test
  void onlyCheckedSnippetsSayWhatTheyPrint() {
    List<String> unchecked = new ArrayList<>();
    for (Block block : Snippets.unmarkedJavaBlocks("README.md", Snippets.read(README))) {
      Snippets.statedOutput(block).forEach(s -> unchecked.add(block.location() + ": " + s));
    }
    assertThat(unchecked)
        .as("comments stating printed output outside compiled snippets (make the block a snippet)")
        .isEmpty();
    assertThat(
            Snippets.unmarkedJavaBlocks(
                "R.md",
                "<!-- snippet: a -->\n```java\nSystem.out.println(1); // 1\n```\n\n"
                    + "```java\nSystem.out.println(2);\n// 2\n```\n"))
        .singleElement()
        .satisfies(b -> assertThat(Snippets.statedOutput(b)).containsExactly("2"));
  }

  @Test
  void everyLinkAndRepositoryPathInTheReadmeExists() {
    String readme = Snippets.read(README);
    List<String> paths = new ArrayList<>();
    Matcher links = Pattern.compile("\\]\\(([^)#:\\s]+)\\)").matcher(readme);
    while (links.find()) {
      paths.add(links.group(1));
    }
    Matcher quoted =
        Pattern.compile("`((?:docs|examples|benchmarks|\\.ci)/[A-Za-z0-9_./-]+)`").matcher(readme);
    while (quoted.find()) {
      paths.add(quoted.group(1));
    }
    assertThat(paths).contains("docs/testkit-cluster.md", "examples/gitops-configs");
    assertThat(paths)
        .filteredOn(p -> !GENERATED.contains(p))
        .allSatisfy(p -> assertThat(PROJECT.resolve(p)).as("README names %s", p).exists());
  }

  @Test
  void aChangedTokenIsReportedWithTheRegionNameAndTheDifferingLines() {
    Block region =
        Snippets.regions(
                "Tour.java",
                """
                class Tour {
                  void run() {
                    #tag::plan[]
                    CanaryPlan plan =
                        CanaryPlan.fromRollout(rollout, templates);
                    System.out.print(plan.describe());
                    #end::plan[]
                  }
                }
                """
                    .replace("#", "// "))
            .get(0);
    Block sameButRewrapped =
        Snippets.markedBlocks(
                "README.md",
                """
                Intro.

                <!-- snippet: plan -->
                ```java
                CanaryPlan plan = CanaryPlan.fromRollout(rollout, templates);
                System.out.print(plan.describe());
                ```
                """)
            .get(0);
    Block edited =
        Snippets.markedBlocks(
                "README.md",
                """
                <!-- snippet: plan -->
                ```java
                CanaryPlan plan = CanaryPlan.fromRollout(rollout);
                System.out.print(plan.describe());
                ```
                """)
            .get(0);

    assertThat(region.location()).isEqualTo("Tour.java:4");
    assertThat(Snippets.difference(sameButRewrapped, region)).isEmpty();
    Optional<String> diff = Snippets.difference(edited, region);
    assertThat(diff).isPresent();
    assertThat(diff.get())
        .startsWith("README block 'plan' (README.md:3) differs from region 'plan' (Tour.java:4)")
        .contains("- CanaryPlan plan = CanaryPlan.fromRollout(rollout);")
        .contains("+ CanaryPlan plan =\n+ CanaryPlan.fromRollout(rollout, templates);")
        .contains("  System.out.print(plan.describe());");
  }

  @Test
  void aMarkerWithoutAJavaBlockOrARegionWithoutAnEndIsAnError() {
    assertThatThrownBy(
            () -> Snippets.markedBlocks("README.md", "<!-- snippet: x -->\n```sh\nls\n```\n"))
        .hasMessage("README.md:1: snippet marker 'x' is not followed by ```java");
    assertThatThrownBy(() -> Snippets.regions("A.java", "// tag::x[]\nint a;\n"))
        .hasMessage("A.java:1: region 'x' has no // end::x[]");
  }
}
