package io.glidepath.cli;

import io.glidepath.appset.ApplicationSet;
import io.glidepath.appset.ApplicationSetGenerator;
import io.glidepath.appset.GeneratedApplications;
import io.glidepath.appset.GeneratorContext;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.kube.cluster.ClusterSecrets;
import io.glidepath.kube.cluster.RegisteredCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath appset}: Argo CD ApplicationSets without a cluster. {@code appset generate}
 * prints the Applications an ApplicationSet generates, as YAML, for code review.
 */
@Command(
    name = "appset",
    mixinStandardHelpOptions = true,
    description = "Argo CD ApplicationSets: see what they generate, without a cluster.",
    subcommands = {AppsetCommand.Generate.class})
final class AppsetCommand implements Callable<Integer>, ExitCodes {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().flush();
    return INPUT_ERROR;
  }

  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(OK, "success (see its commands)");
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Print the Applications an ApplicationSet generates, as YAML documents, in generation"
            + " order, exactly as the ApplicationSet controller would create them (namespace,"
            + " resources finalizer), without a cluster.",
        "Git generators read --repo for every repoURL: a Git repository is read at the"
            + " generator's revision; any other directory as it is on disk. Cluster generators"
            + " see the in-cluster default and the cluster Secrets in --clusters."
      })
  static final class Generate implements Callable<Integer>, ExitCodes {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The ApplicationSet YAML.")
    Path file;

    @Option(
        names = "--repo",
        paramLabel = "PATH",
        description = "The repository git generators read (every repoURL maps to it).")
    Path repo;

    @Option(
        names = "--clusters",
        paramLabel = "DIR",
        description =
            "A directory of Argo CD cluster Secret YAML files (argocd.argoproj.io/secret-type: cluster).")
    Path clusters;

    @Override
    public java.util.Map<Integer, String> outcomes() {
      return java.util.Map.of(OK, "generated");
    }

    @Override
    public Integer call() throws IOException {
      ApplicationSet set = ApplicationSet.read(file);
      List<RegisteredCluster> known = new ArrayList<>();
      known.add(RegisteredCluster.inCluster());
      if (clusters != null) {
        known = readClusters(clusters, known);
      }
      Path cache = null;
      GitCache git = null;
      List<Snapshot> open = new ArrayList<>();
      try {
        GeneratorContext.Repositories repos;
        if (repo == null) {
          repos =
              (url, rev) -> {
                throw new IllegalArgumentException(
                    "a git generator reads " + url + ": give the repository with --repo PATH");
              };
        } else if (SyncCommand.isGitRepository(repo)) {
          cache = Files.createTempDirectory("glidepath-appset-");
          git = GitCache.open(cache);
          GitSource source = git.source(GitRemote.of(repo.toUri().toString()));
          repos =
              (url, rev) -> {
                CommitId c = source.fetchAndResolve(rev.isEmpty() ? "HEAD" : rev);
                Snapshot s = source.snapshot(c);
                open.add(s);
                return new GeneratorContext.Checkout(s.root(), c.sha());
              };
        } else {
          repos = GeneratorContext.Repositories.directory(repo.toAbsolutePath().normalize());
        }
        GeneratedApplications generated =
            ApplicationSetGenerator.of(GeneratorContext.of(known, repos)).generate(set);
        PrintWriter out = spec.commandLine().getOut();
        List<tools.jackson.databind.JsonNode> docs = new ArrayList<>();
        for (Resource r : generated.applications()) {
          docs.add(r.body());
        }
        out.print(Yaml.writeAll(docs));
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println(generated.applications().size() + " Application(s) generated");
        err.flush();
        return OK;
      } finally {
        for (Snapshot s : open) {
          s.close();
        }
        if (git != null) {
          git.close();
        }
        if (cache != null) {
          SetImageCommand.deleteTree(cache);
        }
      }
    }

    private static List<RegisteredCluster> readClusters(Path dir, List<RegisteredCluster> known) {
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files =
            s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
      List<RegisteredCluster> out = new ArrayList<>(known);
      for (Path f : files) {
        for (Resource r : Yaml.readResources(f)) {
          if (!ClusterSecrets.isClusterSecret(r)) {
            continue;
          }
          RegisteredCluster c = ClusterSecrets.read(r);
          // a Secret for the in-cluster server takes the place of the default
          out.removeIf(k -> !k.fromSecret() && k.server().equals(c.server()));
          out.add(c);
        }
      }
      return out;
    }
  }
}
