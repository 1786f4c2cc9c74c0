package io.glidepath.cli;

import io.glidepath.core.Redaction;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.writeback.GitWriteBack;
import io.glidepath.git.writeback.WriteBackResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath set-image}: the CI write-back step. Sets one value in a YAML file of a GitOps
 * repository with a surgical edit, commits and pushes (retrying lost races, never forcing).
 */
@Command(
    name = "set-image",
    mixinStandardHelpOptions = true,
    description = {
      "Set a value (an image tag) in a YAML file of a Git repository, commit and push.",
      "Only the value's characters change; nothing is committed when it is already set.",
      "Credentials: --token-env VAR (HTTPS), --ssh-key FILE with --known-hosts FILE (SSH),"
          + " or user:token in an https URL. They never appear in the output."
    })
final class SetImageCommand implements Callable<Integer>, ExitCodes {
  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(OK, "committed and pushed, or the value was already set");
  }

  @Spec CommandSpec spec;

  @Mixin GitCredentialOptions auth;

  @Option(names = "--repo", required = true, paramLabel = "URL", description = "Repository URL.")
  String repo;

  @Option(
      names = "--file",
      required = true,
      paramLabel = "PATH",
      description = "YAML file in the repository, e.g. apps/trade-service/values.yaml.")
  String file;

  @Option(
      names = "--path",
      defaultValue = "image.tag",
      paramLabel = "YAMLPATH",
      description =
          "Value to set: image.tag, a.b[0].c, images[name=app].newTag (default ${DEFAULT-VALUE}).")
  String path;

  @Option(names = "--value", required = true, paramLabel = "VALUE", description = "The new value.")
  String value;

  @Option(
      names = "--branch",
      defaultValue = "main",
      description = "Branch (default ${DEFAULT-VALUE}).")
  String branch;

  @Option(
      names = "--message",
      defaultValue = "chore: update image to {value}",
      description =
          "Commit message; {value}, {path}, {file} are replaced (default '${DEFAULT-VALUE}').")
  String message;

  @Option(names = "--author-name", defaultValue = "CI Bot", description = "Commit author name.")
  String authorName;

  @Option(
      names = "--author-email",
      defaultValue = "ci-bot@example.com",
      description = "Commit author email.")
  String authorEmail;

  @Option(
      names = "--max-attempts",
      defaultValue = "5",
      description = "Push attempts when other writers race (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Git cache directory to reuse (default: a temporary one, deleted afterwards).")
  Path cache;

  @Override
  public Integer call() throws IOException {
    GitRemote remote = GitRemote.of(repo, auth.credentials());
    Path dir = cache != null ? cache : Files.createTempDirectory("glidepath-set-image");
    try (GitCache gitCache = GitCache.open(dir)) {
      WriteBackResult result =
          GitWriteBack.builder(gitCache.source(remote))
              .branch(branch)
              .author(authorName, authorEmail)
              .messageTemplate(message)
              .maxAttempts(maxAttempts)
              .build()
              .set(file, path, value);
      PrintWriter out = spec.commandLine().getOut();
      if (result instanceof WriteBackResult.Committed c) {
        out.printf(
            "committed %s on %s of %s (%d attempt%s): %s %s = %s%n",
            c.head().abbreviated(),
            branch,
            Redaction.url(remote.url()),
            c.attempts(),
            c.attempts() == 1 ? "" : "s",
            file,
            path,
            value);
      } else {
        out.printf(
            "unchanged: %s of %s at %s already has %s %s = %s%n",
            branch, Redaction.url(remote.url()), result.head().abbreviated(), file, path, value);
      }
      out.flush();
      return 0;
    } finally {
      if (cache == null) {
        deleteTree(dir);
      }
    }
  }

  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              d.toFile().setWritable(true);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
              Files.delete(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary cache " + dir, e);
    }
  }
}
