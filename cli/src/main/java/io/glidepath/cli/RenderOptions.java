package io.glidepath.cli;

import io.glidepath.core.app.Application;
import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options every command that renders an app shares ({@code render}, {@code diff}, ...), as a
 * picocli mixin: {@code @Mixin RenderOptions render;}.
 */
public final class RenderOptions {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "APP_PATH",
      description = "The application directory.")
  Path appPath;

  @Option(
      names = "--repo-root",
      paramLabel = "DIR",
      description = "Repository root; default: the enclosing Git work tree, else APP_PATH.")
  Path repoRoot;

  @Option(
      names = {"-f", "--values"},
      paramLabel = "FILE",
      description = "Helm value file, relative to APP_PATH (like Argo CD valueFiles); repeatable.")
  List<String> valueFiles = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "K=V",
      description = "Helm parameter (like --set); repeatable.")
  List<String> set = new ArrayList<>();

  @Option(
      names = "--set-string",
      paramLabel = "K=V",
      description = "Helm parameter kept a string (like --set-string); repeatable.")
  List<String> setString = new ArrayList<>();

  @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of the release.")
  String namespace;

  @Option(
      names = "--release",
      paramLabel = "NAME",
      description = "Helm release name; default: the app directory's name.")
  String release;

  @Option(
      names = "--kube-version",
      paramLabel = "V",
      description = "Kubernetes version for Capabilities.")
  String kubeVersion;

  @Option(names = "--recurse", description = "Plain directories: include subdirectories.")
  boolean recurse;

  @Option(
      names = "--load-restrictor",
      paramLabel = "R",
      description =
          "Kustomize: LoadRestrictionsRootOnly (default) or LoadRestrictionsNone (files outside a"
              + " kustomization's directory, never outside the repository).")
  String loadRestrictor;

  @Option(names = "--enable-helm", description = "Kustomize: inflate helmCharts.")
  boolean enableHelm;

  @Option(
      names = "--enable-managedby-label",
      description = "Kustomize: add app.kubernetes.io/managed-by to every resource.")
  boolean enableManagedByLabel;

  /** The kustomize build flags given on the command line. */
  KustomizeOptions.BuildOptions buildOptions() {
    StringBuilder args = new StringBuilder();
    if (loadRestrictor != null) {
      args.append("--load-restrictor ").append(loadRestrictor);
    }
    KustomizeOptions.BuildOptions parsed = KustomizeOptions.BuildOptions.parse(args.toString());
    return new KustomizeOptions.BuildOptions(
        parsed.loadRestrictionsNone(), enableHelm, enableManagedByLabel);
  }

  /** The options given on the command line other than APP_PATH, by their names. */
  List<String> given() {
    List<String> out = new ArrayList<>();
    if (repoRoot != null) {
      out.add("--repo-root");
    }
    if (!valueFiles.isEmpty()) {
      out.add("--values");
    }
    if (!set.isEmpty()) {
      out.add("--set");
    }
    if (!setString.isEmpty()) {
      out.add("--set-string");
    }
    if (namespace != null) {
      out.add("--namespace");
    }
    if (release != null) {
      out.add("--release");
    }
    if (kubeVersion != null) {
      out.add("--kube-version");
    }
    if (recurse) {
      out.add("--recurse");
    }
    if (loadRestrictor != null) {
      out.add("--load-restrictor");
    }
    if (enableHelm) {
      out.add("--enable-helm");
    }
    if (enableManagedByLabel) {
      out.add("--enable-managedby-label");
    }
    return out;
  }

  /** The request these options describe. */
  public RenderRequest toRequest() {
    if (appPath == null) {
      throw new IllegalArgumentException("Missing required parameter: 'APP_PATH'");
    }
    Path app = appPath.toAbsolutePath().normalize();
    Path root = repoRoot != null ? repoRoot.toAbsolutePath().normalize() : enclosingWorkTree(app);
    String rel = root.relativize(app).toString();
    RenderRequest.Builder b =
        RenderRequest.builder(root, rel)
            .valueFiles(valueFiles)
            .namespace(namespace)
            .releaseName(release)
            .kubeVersion(kubeVersion)
            .recurse(recurse)
            .kustomize(KustomizeOptions.NONE.withBuild(buildOptions()));
    set.forEach(s -> b.parameter(Parameter.parse(s)));
    setString.forEach(
        s -> {
          Parameter p = Parameter.parse(s);
          b.parameter(new Parameter(p.name(), p.value(), true));
        });
    return b.build();
  }

  /**
   * The request these options describe for an Argo CD Application's source checked out at APP_PATH:
   * what the command line leaves out comes from the Application, as Argo CD renders it: the
   * destination namespace (or {@code helm.namespace}), the Helm value files, release name and kube
   * version; the Application's inline values, file parameters, {@code ignoreMissingValueFiles},
   * {@code skipCrds}, API versions and Kustomize overrides are always used; the Application's Helm
   * parameters come first and {@code --set}/{@code --set-string} after them (the later wins).
   */
  public RenderRequest toRequest(Application app) {
    RenderRequest own = toRequest();
    RenderRequest fromApp = app.renderRequest(own.repoRoot());
    RenderRequest.Builder b =
        RenderRequest.builder(own.repoRoot(), own.appPath())
            .valueFiles(valueFiles.isEmpty() ? fromApp.valueFiles() : own.valueFiles())
            .namespace(namespace != null ? namespace : fromApp.namespace().orElse(null))
            .releaseName(release != null ? release : fromApp.releaseName())
            .kubeVersion(kubeVersion != null ? kubeVersion : fromApp.kubeVersion().orElse(null))
            .recurse(recurse || fromApp.recurse())
            .inlineValues(fromApp.inlineValues())
            .fileParameters(fromApp.fileParameters())
            .ignoreMissingValueFiles(fromApp.ignoreMissingValueFiles())
            .skipCrds(fromApp.skipCrds())
            .apiVersions(fromApp.apiVersions())
            .skipSchemaValidation(fromApp.skipSchemaValidation())
            .kustomize(
                own.kustomize().build().equals(KustomizeOptions.BuildOptions.DEFAULTS)
                    ? fromApp.kustomize()
                    : fromApp.kustomize().withBuild(own.kustomize().build()));
    fromApp.include().ifPresent(b::include);
    fromApp.exclude().ifPresent(b::exclude);
    b.parameters(fromApp.parameters());
    b.parameters(own.parameters());
    return b.build();
  }

  /** The nearest directory at or above {@code app} holding {@code .git}, else {@code app}. */
  static Path enclosingWorkTree(Path app) {
    for (Path p = app; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) {
        return p;
      }
    }
    return app;
  }
}
