package io.glidepath.cli;

import io.glidepath.core.Redaction;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.RenderedApplication;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.resource.ResourceSummary;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitCredentials;
import io.glidepath.git.GitRemoteBases;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath render}: prints an app's rendered resources, from a directory (APP_PATH) or,
 * with {@code --application}, from an Argo CD Application's sources as the controller renders them.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render a Helm chart, Kustomize overlay or plain directory and print the resources.",
      "With --application FILE, render an Argo CD Application the way the controller does: every"
          + " source (Git repositories, Helm repositories, OCI registries, spec.sources with"
          + " $ref value files) fetched with the credentials of --repo-credentials."
    })
final class RenderCommand implements Callable<Integer>, ExitCodes {
  @Override
  public Map<Integer, String> outcomes() {
    return Map.of(OK, "rendered");
  }

  enum Output {
    yaml,
    json,
    summary
  }

  @Spec CommandSpec spec;

  @Mixin RenderOptions options;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "yaml (default), json (one List object), or summary (one line per resource).")
  Output output = Output.yaml;

  @Option(
      names = "--allow-remote-base",
      paramLabel = "HOST[/ORG[/REPO]]",
      description =
          "Kustomize: fetch remote bases from this host, organisation or repository (repeatable);"
              + " without it every remote base is refused.")
  List<String> allowRemoteBases = new ArrayList<>();

  @Option(
      names = "--application",
      paramLabel = "FILE",
      description = "An Argo CD Application to render from its sources (instead of APP_PATH).")
  Path application;

  @Option(
      names = "--repo-credentials",
      paramLabel = "FILE",
      description =
          "Argo CD repository Secrets (repository, repo-creds), argocd-tls-certs-cm and"
              + " argocd-ssh-known-hosts-cm, as YAML; repeatable. Never printed.")
  List<Path> repoCredentials = new ArrayList<>();

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Where Git clones (--application, --allow-remote-base) and charts (--application) are"
              + " cached, kept for the next run; default: a temporary directory, deleted afterwards.")
  Path cacheDir;

  @Mixin GitCredentialOptions credentials;

  @Override
  public Integer call() throws IOException {
    if (application != null) {
      if (!allowRemoteBases.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            "--allow-remote-base does not combine with --application: give the Application's"
                + " kustomize.buildOptions no remote bases, or render its path");
      }
      if (credentials.given()) {
        throw new ParameterException(
            spec.commandLine(),
            "the Git credential options do not combine with --application: give the repository"
                + " Secrets with --repo-credentials");
      }
      return renderApplication();
    }
    if (credentials.given() && allowRemoteBases.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "the Git credential options are for --allow-remote-base");
    }
    if (!repoCredentials.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--repo-credentials needs --application");
    }
    if (cacheDir != null && allowRemoteBases.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--cache-dir needs --application or --allow-remote-base");
    }
    if (options.appPath == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required parameter: 'APP_PATH' (or --application FILE)");
    }
    RenderRequest request = options.toRequest();
    if (allowRemoteBases.isEmpty()) {
      return print(ManifestRenderer.detect(request.appDir()).render(request));
    }
    GitCredentials creds = credentials.credentials();
    Path dir = cacheDir != null ? cacheDir : Files.createTempDirectory("glidepath-render-");
    try (GitCache cache = GitCache.open(dir)) {
      RenderRequest remote =
          request
              .newBuilder()
              .kustomize(request.kustomize().withAllowedRemoteBases(allowRemoteBases))
              .remoteBases(GitRemoteBases.of(cache, url -> creds))
              .build();
      return print(ManifestRenderer.detect(remote.appDir()).render(remote));
    } finally {
      if (cacheDir == null) {
        delete(dir);
      }
    }
  }

  private int print(RenderResult result) {
    result.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    print(
        result.resources(),
        result.resources().size() + " resources rendered by " + result.renderer());
    return OK;
  }

  private int renderApplication() throws IOException {
    if (options.appPath != null) {
      throw new ParameterException(spec.commandLine(), "give APP_PATH or --application, not both");
    }
    List<String> given = options.given();
    if (!given.isEmpty()) {
      // the Application says how each source renders; a flag would silently apply to all of them
      throw new ParameterException(
          spec.commandLine(),
          String.join(", ", given)
              + (given.size() == 1 ? " does" : " do")
              + " not combine with --application: the Application's sources say how they render");
    }
    Application app = Application.read(application);
    RenderedApplication r = ApplicationRendering.render(app, repoCredentials, cacheDir);
    r.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    StringBuilder footer = new StringBuilder();
    for (int i = 0; i < r.sources().size(); i++) {
      footer
          .append(app.hasMultipleSources() ? "sources[" + i + "] " : "source ")
          .append(describe(r.sources().get(i)))
          .append('\n');
    }
    footer.append(r.resources().size()).append(" resources");
    print(r.resources(), footer.toString());
    return OK;
  }

  /** A source as rendered, for {@code -o summary}: where from, at which revision, what it gave. */
  static String describe(RenderedApplication.Source s) {
    ApplicationSource source = s.source();
    return Redaction.url(source.repoURL())
        + source.chart().map(c -> " " + c).orElse("")
        + (source.path().isEmpty() ? "" : " " + source.path())
        + " at "
        + s.revision()
        + ": "
        + s.renderer()
            .map(n -> s.resources() + " resources rendered by " + n)
            .orElse("ref " + source.ref().orElse("") + ", not rendered");
  }

  private void print(ResourceSet resources, String summaryFooter) {
    PrintWriter out = spec.commandLine().getOut();
    switch (output) {
      case yaml -> out.print(Yaml.write(resources));
      case json -> out.println(Yaml.toPrettyJson(Yaml.toList(resources)));
      case summary -> {
        for (Resource r : resources) {
          out.println(ResourceSummary.of(r));
        }
        out.println(summaryFooter);
      }
    }
    out.flush();
  }

  private static void delete(Path dir) {
    ApplicationRendering.delete(dir);
  }
}
