package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.examples.demo.GitOpsDemo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code glidepath demo}'s options (the demo itself runs in examples' GitOpsDemoIT). */
class DemoCommandTest {

  @Test
  void reportOptionChoosesTheReportFile() {
    DemoCommand demo = new DemoCommand();
    new CommandLine(demo).parseArgs("--report", "out/report.html", "--time-scale", "40");

    assertThat(demo.report).isEqualTo(Path.of("out/report.html"));
    assertThat(demo.timeScale).isEqualTo(40);
  }

  @Test
  void helpNamesTheDefaultReportFile() {
    CommandLine demo = new CommandLine(new DemoCommand());
    // the option's own text: the usage message wraps it at any character
    String description =
        String.join(" ", demo.getCommandSpec().findOption("--report").description());

    assertThat(demo.getUsageMessage()).contains("--report=FILE");
    assertThat(description).contains(GitOpsDemo.REPORT_FILE_PREFIX + "*.html");
  }
}
