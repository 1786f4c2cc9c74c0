package io.glidepath.cli;

import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.git.backfill.BackfillRequest;
import io.glidepath.git.backfill.BackfillResult;
import io.glidepath.git.backfill.DriftBackfill;
import io.glidepath.git.backfill.HelmValueMapping;
import io.glidepath.git.backfill.RefusedField;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath backfill}: the emergency channel's write-back. Renders the app from a branch of
 * a Git repository, compares it with live objects from a file, and writes the live values of every
 * modified resource (or the one named) into a new branch per resource for review.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Write hand-made live changes back into Git so that the next sync keeps them: renders"
          + " APP_PATH of --branch, compares it with --live objects and pushes one new branch"
          + " per modified resource (plain YAML: the manifest is edited; Kustomize: a patch is"
          + " added to the overlay). Helm apps: prints the values keys to change instead.",
      "Secret data is never written. The branch itself is never written; nothing is forced."
    })
final class BackfillCommand implements Callable<Integer>, ExitCodes {
  @Spec CommandSpec spec;

  @Mixin GitCredentialOptions auth;

  @Parameters(
      index = "0",
      paramLabel = "APP_PATH",
      description = "The application's path in the repository, e.g. apps/trade-service.")
  String appPath;

  @Option(names = "--repo", required = true, paramLabel = "URL", description = "Repository URL.")
  String repo;

  @Option(
      names = "--branch",
      defaultValue = "main",
      description = "Branch the app syncs from (default ${DEFAULT-VALUE}).")
  String branch;

  @Option(
      names = "--app",
      required = true,
      paramLabel = "NAME",
      description = "Application name, for branch names and commit messages.")
  String app;

  @Option(
      names = "--live",
      required = true,
      paramLabel = "FILE",
      description = "YAML or JSON file of live objects (kubectl get -o yaml).")
  Path live;

  @Option(
      names = "--resource",
      paramLabel = "KEY",
      description = "Only this resource, e.g. apps/Deployment:production/web.")
  String resource;

  @Option(
      names = {"-f", "--values"},
      paramLabel = "FILE",
      description = "Helm value file, relative to APP_PATH; repeatable.")
  List<String> valueFiles = new ArrayList<>();

  @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of the app.")
  String namespace;

  @Option(names = "--author-name", defaultValue = "Glidepath", description = "Commit author name.")
  String authorName;

  @Option(
      names = "--author-email",
      defaultValue = "glidepath@localhost",
      description = "Commit author email.")
  String authorEmail;

  @Override
  public Integer call() throws IOException {
    GitRemote remote = GitRemote.of(repo, auth.credentials());
    Path dir = Files.createTempDirectory("glidepath-backfill");
    PrintWriter out = spec.commandLine().getOut();
    try (GitCache cache = GitCache.open(dir)) {
      GitSource source = cache.source(remote);
      CommitId head = source.fetchAndResolve(branch);
      DriftReport report;
      try (Snapshot snap = source.snapshot(head)) {
        snap.requireContainedLinks(source.remote().url());
        RenderRequest.Builder b =
            RenderRequest.builder(snap.root(), appPath).valueFiles(valueFiles);
        if (namespace != null) {
          b.namespace(namespace);
        }
        RenderRequest request = b.build();
        RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
        ResourceSet liveObjects = ResourceSet.of(Yaml.readLiveResources(live));
        report =
            DriftDetector.of(DiffOptions.ofDefaults()).detect(rendered.resources(), liveObjects);
      }
      List<ResourceDrift> modified =
          report.resources().stream()
              .filter(d -> d.status() == DriftStatus.MODIFIED)
              .filter(d -> resource == null || d.key().toString().equals(resource))
              .toList();
      if (modified.isEmpty()) {
        out.println(
            "nothing to backfill: "
                + (resource == null ? "no resource" : resource)
                + " is modified live ("
                + report.summary()
                + ")");
        out.flush();
        return 0;
      }
      DriftBackfill backfill =
          DriftBackfill.builder(source).author(authorName, authorEmail).build();
      for (ResourceDrift drift : modified) {
        BackfillResult r =
            backfill.backfill(
                BackfillRequest.of(app, branch, appPath, drift).withValueFiles(valueFiles));
        print(out, r);
      }
      out.flush();
      return 0;
    } finally {
      SetImageCommand.deleteTree(dir);
    }
  }

  private static void print(PrintWriter out, BackfillResult r) {
    out.println(r.resource() + " (" + r.sourceType() + "):");
    if (r.committed()) {
      out.println(
          "  pushed branch "
              + r.branch().orElseThrow()
              + " at "
              + r.commit().orElseThrow().abbreviated()
              + " changing "
              + String.join(", ", r.changedFiles()));
      r.written().forEach(f -> out.println("  wrote " + f.describe()));
    } else if (r.helmValues().isEmpty()) {
      out.println("  nothing committed");
    }
    for (HelmValueMapping m : r.helmValues()) {
      out.println("  " + m.status() + " " + m.field() + ": " + m.explanation());
    }
    for (RefusedField f : r.refused()) {
      out.println("  refused " + f.path() + ": " + f.reason());
    }
  }

  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(OK, "branches pushed, Helm values named, or nothing to backfill");
  }
}
