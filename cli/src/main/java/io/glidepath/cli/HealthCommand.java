package io.glidepath.cli;

import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessment;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code glidepath health}: the health of live objects as Argo CD reports it, and which check
 * answered. Exit 0 when every file was read, 2 on bad input.
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Print the health of live objects (kubectl get -o yaml output, a List or a multi-document"
          + " stream) as Argo CD assesses it: group, kind, namespace, name, status, message and"
          + " the check that answered (built-in, lua KEY, java NAME, generic, none, excluded).",
      "With --argocd-cm, the Lua health checks, resource.exclusions and resource.inclusions of"
          + " that argocd-cm apply, as in Argo CD.",
      "Exit status: 0 when everything was read (whatever the health), 2 on bad input."
    })
final class HealthCommand implements Callable<Integer>, ExitCodes {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "YAML or JSON files of live objects.")
  List<Path> files;

  @Option(
      names = "--argocd-cm",
      paramLabel = "FILE",
      description = "Argo CD's argocd-cm ConfigMap: its Lua health checks, exclusions, inclusions.")
  Path argocdCm;

  @Option(
      names = "--allow-unsupported-keys",
      description =
          "Accept an argocd-cm with resource keys Glidepath does not honour (knownTypeFields,"
              + " compareoptions), with a warning, instead of refusing it.")
  boolean allowUnsupported;

  @Option(
      names = "--cluster",
      paramLabel = "URL",
      defaultValue = "https://kubernetes.default.svc",
      description =
          "The cluster the objects come from, for the clusters of exclusions (default: ${DEFAULT-VALUE}).")
  String cluster;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json.")
  String output;

  @Override
  public int onError() {
    return 2;
  }

  private record Row(Resource resource, HealthAssessment assessment, boolean excluded) {}

  @Override
  public Integer call() {
    String format = output.toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "-o must be text or json, but was " + output);
    }
    ArgoCdSettings settings =
        argocdCm == null
            ? ArgoCdSettings.empty()
            : ArgoCdSettings.read(
                argocdCm,
                allowUnsupported
                    ? ArgoCdSettings.Unsupported.REPORT
                    : ArgoCdSettings.Unsupported.REFUSE);
    PrintWriter err = spec.commandLine().getErr();
    settings
        .notHonoured()
        .forEach(
            (key, why) -> {
              if (key.startsWith("resource.")) {
                err.println("warning: " + argocdCm + ": " + key + " not honoured: " + why);
              }
            });
    HealthAssessor assessor = HealthAssessor.builder().argoCdSettings(settings).build();
    List<Row> rows = new ArrayList<>();
    for (Path file : files) {
      for (Resource r : Yaml.readLiveResources(file)) {
        boolean excluded = settings.resourceFilter().isExcluded(r.group(), r.kind(), cluster);
        rows.add(new Row(r, excluded ? HealthAssessment.none() : assessor.explain(r), excluded));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      ArrayNode list = Yaml.mapper().createArrayNode();
      for (Row row : rows) {
        ObjectNode n = list.addObject();
        n.put("group", row.resource().group());
        n.put("kind", row.resource().kind());
        n.put("namespace", row.resource().namespace().orElse(""));
        n.put("name", row.resource().name());
        if (row.assessment().health().isPresent()) {
          Health h = row.assessment().health().get();
          n.put("status", h.status().displayName());
          n.put("message", h.message());
        } else {
          n.putNull("status");
          n.putNull("message");
        }
        ObjectNode check = n.putObject("check");
        check.put("type", row.excluded() ? "excluded" : row.assessment().origin().type().word());
        check.put("name", row.assessment().origin().name());
      }
      out.println(Yaml.toPrettyJson(list));
    } else {
      out.println("GROUP\tKIND\tNAMESPACE\tNAME\tSTATUS\tCHECK\tMESSAGE");
      for (Row row : rows) {
        Resource r = row.resource();
        String status = row.assessment().health().map(h -> h.status().displayName()).orElse("-");
        String message =
            row.assessment().health().map(Health::message).orElse("").replace('\n', ' ').strip();
        String check = row.excluded() ? "excluded" : row.assessment().origin().toString();
        out.println(
            String.join(
                "\t",
                r.group().isEmpty() ? "-" : r.group(),
                r.kind(),
                r.namespace().orElse("-"),
                r.name(),
                status,
                check,
                message));
      }
    }
    out.flush();
    return 0;
  }
}
