package io.glidepath.cli;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glidepath render}: prints an app's rendered resources. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description =
        "Render a Helm chart, Kustomize overlay or plain directory and print the resources.")
final class RenderCommand implements Callable<Integer>, ExitCodes {
  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(OK, "rendered");
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
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Git cache directory for remote bases (default: a temporary directory, deleted"
              + " afterwards).")
  Path cacheDir;

  @Mixin GitCredentialOptions credentials;

  @Override
  public Integer call() throws IOException {
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
        SetImageCommand.deleteTree(dir);
      }
    }
  }

  private int print(RenderResult result) {
    PrintWriter out = spec.commandLine().getOut();
    result.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    switch (output) {
      case yaml -> out.print(Yaml.write(result.resources()));
      case json -> out.println(Yaml.toPrettyJson(Yaml.toList(result.resources())));
      case summary -> {
        for (Resource r : result.resources()) {
          out.println(ResourceSummary.of(r));
        }
        out.println(result.resources().size() + " resources rendered by " + result.renderer());
      }
    }
    out.flush();
    return 0;
  }
}
