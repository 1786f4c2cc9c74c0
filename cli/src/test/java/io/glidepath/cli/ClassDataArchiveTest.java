package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training run of the class-data archive exercises the common commands, and they succeed. */
class ClassDataArchiveTest {
  @TempDir Path tmp;

  @Test
  void aJvmThatCannotMakeTheArchiveLeavesNoneAndSaysWhy() throws Exception {
    Path fakeJava = tmp.resolve("java");
    Files.writeString(
        fakeJava, "#!/bin/sh\necho 'Unrecognized VM option ArchiveClassesAtExit'\nexit 1\n");
    fakeJava.toFile().setExecutable(true);
    Files.writeString(tmp.resolve(ClassDataArchive.ID), "stale");

    Optional<String> why =
        ClassDataArchive.build(
            tmp, fakeJava, "glidepath-cli.jar", ClassDataArchive.Training.COMMON);

    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("exited 1", "Unrecognized"));
    assertThat(tmp.resolve(ClassDataArchive.ARCHIVE)).doesNotExist();
    assertThat(tmp.resolve(ClassDataArchive.ID)).doesNotExist();
  }

  @Test
  void everyTrainingCommandSucceeds() throws IOException {
    assertThat(ClassDataArchive.train(ClassDataArchive.Training.COMMON)).isEmpty();
  }

  @Test
  void theSyncTrainingSyncsIntoTheEmbeddedClusterAndSucceeds() throws IOException {
    assertThat(ClassDataArchive.syncCommands(tmp).stream().map(c -> String.join(" ", c)))
        .anyMatch(c -> c.startsWith("sync --app ") && c.endsWith(" --embedded"));
    assertThat(ClassDataArchive.train(ClassDataArchive.Training.SYNC)).isEmpty();
  }

  @Test
  void theTrainingRendersAKustomizeOverlayAHelmChartAndAPlainDirectory() throws IOException {
    Path dir = ClassDataArchive.writeInputs(tmp);
    List<String[]> commands = ClassDataArchive.commands(dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    for (String[] command : commands) {
      if (command[0].equals("render") && List.of(command).contains("summary")) {
        assertThat(Main.run(command, new PrintWriter(out, true), new PrintWriter(err, true)))
            .as(err.toString())
            .isZero();
      }
    }
    assertThat(out.toString())
        .contains("apps/Deployment:production/prod-web")
        .contains("rendered by kustomize");
    assertThat(commands.stream().map(c -> c[0]))
        .contains("--help", "render", "diff", "env-diff", "windows", "health");
  }

  @Test
  void theTrainingBuildsEveryCommand() {
    List<String> trained =
        ClassDataArchive.commands(tmp).stream().map(c -> String.join(" ", c)).toList();
    for (Class<?> type : Main.SUBCOMMANDS.types()) {
      String name = type.getAnnotation(picocli.CommandLine.Command.class).name();
      assertThat(trained).as(name).contains(name + " --help");
    }
    assertThat(Main.SUBCOMMANDS.types()).contains(HealthCommand.class);
  }
}
