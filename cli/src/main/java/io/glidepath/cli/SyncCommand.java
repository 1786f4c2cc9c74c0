package io.glidepath.cli;

import io.fabric8.kubernetes.client.Config;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.controller.AppCondition;
import io.glidepath.kube.controller.AppProjects;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationController;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath sync}: one reconcile of an Argo CD Application: fetch the repository, render the
 * app at its target revision, compare with the cluster, and sync when the app is automated (or
 * {@code --force-sync}), printing the plan and a result per resource. Exit 0 when the app ends in
 * sync, 1 when it does not, 2 on an error or when the app's project refuses the sync (checked
 * before anything is written; see {@link ProjectOptions}).
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Reconcile an Argo CD Application once: render it from Git, compare with the cluster,"
          + " and sync it when its syncPolicy is automated; print the plan and the results.",
      "The app's project (--project FILE, --projects DIR or --argocd-namespace NS; none given:"
          + " only the permissive project default) is checked before anything is written; the"
          + " sync counts as manual for sync windows.",
      "Exit status: 0 in sync afterwards, 1 not in sync, 2 error or refused by the project."
    })
final class SyncCommand implements Callable<Integer>, ExitCodes {
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
      required = true,
      paramLabel = "URL|PATH",
      description = "The Git repository (overrides spec.source.repoURL); a path is a local repo.")
  String repo;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Target target = new Target();

  static final class Target {
    @Option(
        names = "--kubeconfig",
        paramLabel = "FILE",
        description = "Kubeconfig of the cluster (default: the usual lookup).")
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
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Git cache directory (default: a temporary directory).")
  Path cacheDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Application app = Application.read(appFile);
    if (argocdNamespace != null && projects.isSet()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "give --argocd-namespace or --project/--projects, not both");
    }
    String url = Files.isDirectory(Path.of(repo)) ? Path.of(repo).toUri().toString() : repo;
    Path cache = cacheDir != null ? cacheDir : Files.createTempDirectory("glidepath-sync-");
    try (GitCache git = GitCache.open(cache)) {
      GitSource source = git.source(GitRemote.of(url, auth.credentials()));
      CommitId commit = source.fetchAndResolve(app.source().targetRevision());
      try (Snapshot snapshot = source.snapshot(commit)) {
        snapshot.requireContainedLinks(url);
        RenderRequest request = app.renderRequest(snapshot.root());
        RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
        rendered.warnings().forEach(w -> err.println("warning: " + w));
        out.println(
            "rendered " + rendered.resources().size() + " resources at " + commit.abbreviated());
        DesiredState desired =
            new DesiredState(commit.sha(), rendered.resources(), SourceType.of(rendered));
        EmbeddedCluster embedded = target.embedded ? EmbeddedCluster.start() : null;
        try {
          Config config =
              embedded != null
                  ? embedded.config()
                  : target.kubeconfig != null
                      ? Config.fromKubeconfig(Files.readString(target.kubeconfig))
                      : Config.autoConfigure(null);
          try (KubeCluster cluster = KubeCluster.connect(config)) {
            ProjectSource projectSource =
                argocdNamespace != null
                    ? AppProjects.in(cluster, argocdNamespace)
                    : projects.source();
            AppStatus status = reconcile(app, cluster, desired, out, projectSource);
            out.println(status.message());
            out.flush();
            boolean refused = false;
            for (AppCondition c : status.conditions()) {
              err.println(
                  (switch (c.type()) {
                        case ORPHANED_RESOURCE_WARNING -> "warning: ";
                        case COMPARISON_ERROR -> "error: ";
                        default -> "refused: ";
                      })
                      + c.message());
              refused |= c.type() != AppCondition.Type.ORPHANED_RESOURCE_WARNING;
            }
            err.flush();
            return refused ? onError() : status.inSync() ? 0 : 1;
          }
        } finally {
          if (embedded != null) {
            embedded.close();
          }
        }
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

  private AppStatus reconcile(
      Application app,
      KubeCluster cluster,
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
            .build()) {
      return controller.reconcile();
    }
  }

  @Override
  public int onError() {
    return 2;
  }
}
