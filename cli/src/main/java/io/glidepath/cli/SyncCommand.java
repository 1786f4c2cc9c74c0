package io.glidepath.cli;

import io.fabric8.kubernetes.client.Config;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.app.RenderedApplication;
import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.RepoCheckouts;
import io.glidepath.git.Snapshot;
import io.glidepath.helm.repo.ChartCache;
import io.glidepath.helm.repo.ChartFetcher;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.cluster.ClusterRegistry;
import io.glidepath.kube.controller.AppCondition;
import io.glidepath.kube.controller.AppProjects;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.ApplicationDesiredStateSource;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.SourceType;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath sync}: one reconcile of an Argo CD Application: fetch its sources (or the
 * repository {@code --repo} names), render the app as the controller does, compare with the
 * cluster, and sync when the app is automated (or {@code --force-sync}), printing the plan and a
 * result per resource. The app's project is checked before anything is written (see {@link
 * ProjectOptions}).
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Reconcile an Argo CD Application once: render it from its sources (Git, Helm repositories,"
          + " OCI registries, spec.sources) or from --repo, compare with the cluster,"
          + " and sync it when its syncPolicy is automated; print the plan and the results.",
      "The app's project (--project FILE, --projects DIR or --argocd-namespace NS; none given:"
          + " only the permissive project default) is checked before anything is written; the"
          + " sync counts as manual for sync windows."
    })
final class SyncCommand implements Callable<Integer>, ExitCodes {
  /** The app's project, a sync window or the app's own spec refused the sync. */
  static final int REFUSED = 3;

  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(
        OK,
        "in sync afterwards",
        NOT_GOOD,
        "not in sync afterwards",
        REFUSED,
        "refused before anything was written (project, sync window, invalid spec)");
  }

  @Spec CommandSpec spec;

  @Mixin GitCredentialOptions auth;

  @Option(
      names = "--app",
      required = true,
      paramLabel = "FILE",
      description = "The Argo CD Application YAML.")
  Path appFile;

  @Option(
      names = "--repo",
      paramLabel = "URL|DIR",
      description =
          "For an Application with one Git source: the Git repository (overrides"
              + " spec.source.repoURL). A directory that is a Git repository is fetched at the"
              + " app's targetRevision; any other directory (a plain one, or one inside a Git work"
              + " tree) is the checkout as it is on disk, its root the root of the app's"
              + " spec.source.path. Without --repo every source is fetched from its repoURL (Git,"
              + " Helm repositories, OCI registries, spec.sources) as the controller does.")
  String repo;

  @Option(
      names = "--repo-credentials",
      paramLabel = "FILE",
      description =
          "Argo CD repository Secrets (repository, repo-creds), argocd-tls-certs-cm and"
              + " argocd-ssh-known-hosts-cm, as YAML, for the app's sources and its charts'"
              + " dependencies; repeatable. Never printed.")
  List<Path> repoCredentials = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Target target = new Target();

  static final class Target {
    @Option(
        names = "--kubeconfig",
        paramLabel = "FILE",
        description =
            "Kubeconfig (default: the usual lookup). Its current context is the in-cluster"
                + " default (https://kubernetes.default.svc, in-cluster) and holds the status;"
                + " every context is also a cluster the app's destination may name (by context"
                + " name or server).")
    Path kubeconfig;

    @Option(names = "--embedded", description = "Sync into an embedded, in-process cluster.")
    boolean embedded;
  }

  @Option(
      names = "--status-namespace",
      paramLabel = "NS",
      defaultValue = "default",
      description = "Namespace of the status ConfigMap (default: ${DEFAULT-VALUE}).")
  String statusNamespace;

  @Mixin ProjectOptions projects;

  @Option(
      names = "--argocd-namespace",
      paramLabel = "NS",
      description =
          "Read the app's project from the AppProject objects in this namespace of the cluster"
              + " (Argo CD's own namespace, usually argocd).")
  String argocdNamespace;

  @Option(
      names = "--clusters",
      paramLabel = "DIR",
      description =
          "Argo CD cluster Secrets (YAML files) the app's spec.destination may name; an unknown"
              + " destination is Argo CD's InvalidSpecError (exit 3), nothing synced.")
  Path clustersDir;

  @Option(
      names = "--argocd-cm",
      paramLabel = "FILE",
      description =
          "Argo CD's argocd-cm ConfigMap: its Lua health checks, resource.exclusions and"
              + " resource.inclusions (an excluded kind is neither synced nor pruned, with a"
              + " warning) and its system-level ignoreDifferences apply, as in Argo CD.")
  Path argocdCm;

  @Option(
      names = "--allow-unsupported-keys",
      description =
          "Accept an argocd-cm with resource keys Glidepath does not honour (knownTypeFields,"
              + " compareoptions), with a warning, instead of refusing it.")
  boolean allowUnsupported;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Where Git clones and charts are cached (kept for the next run); default: a temporary"
              + " directory, deleted afterwards.")
  Path cacheDir;

  private ArgoCdSettings settings = ArgoCdSettings.empty();
  private HealthAssessor health;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Application app = Application.read(appFile);
    if (allowUnsupported && argocdCm == null) {
      throw new ParameterException(
          spec.commandLine(), "--allow-unsupported-keys needs --argocd-cm");
    }
    settings =
        argocdCm == null
            ? ArgoCdSettings.empty()
            : ArgoCdSettings.read(
                argocdCm,
                allowUnsupported
                    ? ArgoCdSettings.Unsupported.REPORT
                    : ArgoCdSettings.Unsupported.REFUSE);
    settings
        .notHonoured()
        .forEach(
            (key, why) -> {
              if (key.startsWith("resource.")) {
                err.println("warning: " + argocdCm + ": " + key + " not honoured: " + why);
              }
            });
    // a Lua syntax error is an input error before anything is rendered or written
    health = HealthAssessor.builder().argoCdSettings(settings).build();
    if (argocdNamespace != null && projects.isSet()) {
      throw new ParameterException(
          spec.commandLine(), "give --argocd-namespace or --project/--projects, not both");
    }
    if (repo == null && auth.given()) {
      throw new ParameterException(
          spec.commandLine(),
          "--token-env, --ssh-key, --known-hosts and --passphrase-env are for --repo; without"
              + " --repo the sources' credentials come from --repo-credentials");
    }
    if (repo != null && (app.hasMultipleSources() || app.source().isChart())) {
      throw new ParameterException(
          spec.commandLine(),
          "--repo replaces the Git repository of an Application with one Git source; "
              + appFile
              + (app.hasMultipleSources() ? " has spec.sources" : " has a chart source")
              + ": leave --repo out to fetch every source from its repoURL");
    }
    RepoCredentialStore credentials =
        repoCredentials.isEmpty()
            ? RepoCredentialStore.EMPTY
            : RepoCredentialStore.read(repoCredentials.toArray(new Path[0]));
    Path cache = cacheDir != null ? cacheDir : Files.createTempDirectory("glidepath-sync-");
    try (GitCache git = GitCache.open(cache.resolve("git"))) {
      ChartFetcher charts =
          ChartFetcher.builder(ChartCache.open(cache.resolve("charts")))
              .credentials(credentials)
              .build();
      if (repo == null) {
        ApplicationRenderer renderer =
            ApplicationRenderer.builder()
                .git(RepoCheckouts.of(git, credentials))
                .charts(charts)
                .build();
        RenderedApplication rendered = renderer.render(app);
        for (int i = 0; i < rendered.sources().size(); i++) {
          RenderedApplication.Source s = rendered.sources().get(i);
          err.println(
              (app.hasMultipleSources() ? "sources[" + i + "] " : "source ")
                  + RenderCommand.describe(s));
        }
        DesiredState desired = ApplicationDesiredStateSource.stateOf(app, rendered);
        return syncRendered(app, rendered.warnings(), desired, abbreviate(rendered.revisions()));
      }
      Path dir = Path.of(repo);
      if (Files.isDirectory(dir) && !isGitRepository(dir)) {
        err.println(
            "note: "
                + repo
                + " is not the root of a Git repository: syncing the files on disk, with "
                + repo
                + " as the repository root; spec.source.targetRevision ("
                + app.source().targetRevision()
                + ") is not resolved");
        RenderRequest request =
            app.renderRequest(dir.toAbsolutePath().normalize()).newBuilder().charts(charts).build();
        RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
        // a stable revision for the content, so that automated sync runs once per change
        return syncRendered(
            app,
            rendered.warnings(),
            new DesiredState(
                "dir-" + digest(rendered), rendered.resources(), SourceType.of(rendered)),
            "the files on disk");
      }
      String url = Files.isDirectory(dir) ? dir.toUri().toString() : repo;
      GitSource source = git.source(GitRemote.of(url, auth.credentials()));
      CommitId commit = source.fetchAndResolve(app.source().targetRevision());
      try (Snapshot snapshot = source.snapshot(commit)) {
        snapshot.requireContainedLinks(url);
        RenderRequest request =
            app.renderRequest(snapshot.root()).newBuilder().charts(charts).build();
        RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
        return syncRendered(
            app,
            rendered.warnings(),
            new DesiredState(commit.sha(), rendered.resources(), SourceType.of(rendered)),
            commit.abbreviated());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      // a clone made for this run only is not left in the temporary directory
      if (cacheDir == null) {
        SetImageCommand.deleteTree(cache);
      }
    }
  }

  /** Commit ids shortened as Git shows them; chart versions as they are. */
  private static String abbreviate(List<String> revisions) {
    List<String> out = new ArrayList<>();
    for (String r : revisions) {
      out.add(r.matches("[0-9a-f]{40}") ? r.substring(0, 7) : r);
    }
    return String.join(",", out);
  }

  private int syncRendered(
      Application app, List<String> warnings, DesiredState desired, String revisionName) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    warnings.forEach(w -> err.println("warning: " + w));
    out.println("rendered " + desired.resources().size() + " resources at " + revisionName);
    EmbeddedCluster embedded = target.embedded ? EmbeddedCluster.start() : null;
    try {
      Config config =
          embedded != null
              ? embedded.config()
              : target.kubeconfig != null
                  ? Config.fromKubeconfig(readKubeconfig(target.kubeconfig))
                  : Config.autoConfigure(null);
      try (KubeCluster cluster = KubeCluster.connect(config);
          ClusterRegistry clusters = registry(cluster)) {
        // an unreachable cluster is an error naming the server (exit 2), not an app out of sync
        cluster.resourceTypes();
        ProjectSource projectSource =
            argocdNamespace != null ? AppProjects.in(cluster, argocdNamespace) : projects.source();
        AppStatus status = reconcile(app, cluster, clusters, desired, out, projectSource);
        out.println(status.message());
        out.flush();
        boolean refused = false;
        boolean failed = false;
        for (AppCondition c : status.conditions()) {
          err.println(
              (switch (c.type()) {
                    case ORPHANED_RESOURCE_WARNING, EXCLUDED_RESOURCE_WARNING -> "warning: ";
                    case COMPARISON_ERROR -> "error: ";
                    default -> "refused: ";
                  })
                  + c.message());
          failed |= c.type() == AppCondition.Type.COMPARISON_ERROR;
          refused |=
              c.type() != AppCondition.Type.ORPHANED_RESOURCE_WARNING
                  && c.type() != AppCondition.Type.EXCLUDED_RESOURCE_WARNING;
        }
        err.flush();
        // a desired state that cannot be read or compared is an input error, not a refusal
        return failed ? INPUT_ERROR : refused ? REFUSED : status.inSync() ? OK : NOT_GOOD;
      }
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** The clusters the destination may name: the in-cluster default, contexts, cluster Secrets. */
  private ClusterRegistry registry(KubeCluster cluster) {
    ClusterRegistry.Builder b = ClusterRegistry.builder();
    if (target.kubeconfig != null) {
      b.kubeconfig(target.kubeconfig, false);
    }
    b.inCluster(cluster);
    if (clustersDir != null) {
      if (!Files.isDirectory(clustersDir)) {
        throw new UncheckedIOException(
            new IOException("--clusters " + clustersDir + " is not a directory"));
      }
      b.secretsFrom(clustersDir);
    }
    return b.build();
  }

  private static String readKubeconfig(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + file, e);
    }
  }

  /** A Git work tree's top ({@code .git} in it) or a bare repository. */
  static boolean isGitRepository(Path dir) {
    return Files.exists(dir.resolve(".git"))
        || Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"));
  }

  private static String digest(RenderResult rendered) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  io.glidepath.core.yaml.Yaml.write(rendered.resources())
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private AppStatus reconcile(
      Application app,
      KubeCluster cluster,
      ClusterRegistry clusters,
      DesiredState desired,
      PrintWriter out,
      ProjectSource projects) {
    ControllerListener printer =
        new ControllerListener() {
          @Override
          public void planned(String name, SyncPlan plan) {
            out.print(plan.toTable());
            out.flush();
          }

          @Override
          public void syncFinished(String name, SyncResult result) {
            for (ResourceResult r : result.resources()) {
              out.println(r);
            }
            out.flush();
          }
        };
    try (ApplicationController controller =
        ApplicationController.builder(app, cluster, () -> desired)
            .statusNamespace(statusNamespace)
            .listener(printer)
            .projects(projects)
            // a person ran this sync: deny windows with manualSync: true let it run
            .manualSync(true)
            // this sync is of the file given, even where an Application object exists
            .followApplicationObject(false)
            .clusters(clusters)
            .health(health)
            .settings(settings)
            .build()) {
      return controller.reconcile();
    }
  }
}
