package io.glidepath.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.ArgumentBinding;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricResult;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.RunIdentity;
import io.glidepath.analysis.TemplateWarning;
import io.glidepath.analysis.kube.JobProvider;
import io.glidepath.analysis.kube.KubernetesSecrets;
import io.glidepath.analysis.provider.KayentaProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.analysis.provider.SecretSource;
import io.glidepath.analysis.provider.Sigv4Signer;
import io.glidepath.core.time.GoDuration;
import io.glidepath.core.yaml.Yaml;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code glidepath analyze}: runs one analysis of the templates in a file and prints each
 * measurement and the phase. With {@code --at} it replays history without waiting. The exit codes
 * are in {@link #outcomes()}.
 *
 * <p>Every provider on the class path is found by type ({@link MetricProviders#discover}): the
 * Secrets Argo names come from {@code --secrets} files and, with {@code --kubeconfig}, from the
 * cluster (which also runs {@code job} metrics); environment variables are read as Argo reads them
 * ({@code DD_API_KEY}, {@code ARGO_ROLLOUTS_PROMETHEUS_ADDRESS}, {@code AWS_*}).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Run an Argo Rollouts analysis (every AnalysisTemplate in FILE, or --template-name) and"
          + " print each measurement and the phase.",
      "With --at, replay history: measurement i is taken at AT + i*interval without waiting."
    })
final class AnalyzeCommand implements Callable<Integer>, ExitCodes {
  enum Output {
    text,
    json
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--template",
      required = true,
      paramLabel = "FILE",
      description = "YAML file with AnalysisTemplates (other documents are skipped).")
  Path template;

  @Option(
      names = "--template-name",
      paramLabel = "NAME",
      description = "Use only this template of the file.")
  String templateName;

  @Option(
      names = "--arg",
      paramLabel = "NAME=VALUE",
      description = "A template argument (repeatable).")
  Map<String, String> args = new LinkedHashMap<>();

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description =
          "Prometheus address, overriding the templates' address (else their address, else"
              + " ARGO_ROLLOUTS_PROMETHEUS_ADDRESS).")
  URI prometheus;

  @Option(
      names = "--secrets",
      paramLabel = "FILE",
      description =
          "Kubernetes Secret manifests the providers read (datadog, newrelic, influxdb,"
              + " wavefront-api-tokens, secretRef/profile Secrets, secretKeyRef arguments);"
              + " repeatable. A Secret without a namespace is in the platform namespace.")
  List<Path> secrets = new ArrayList<>();

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Run job metrics and read Secrets in the cluster of this kubeconfig (its current"
              + " context).")
  Path kubeconfig;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description =
          "The analysis's namespace: where Jobs run and namespaced Secrets are read (default: the"
              + " template's, else default).")
  String namespace;

  @Option(
      names = "--platform-namespace",
      paramLabel = "NS",
      description =
          "Where the Secrets Argo names live in the cluster (default: POD_NAMESPACE, else"
              + " argo-rollouts).")
  String platformNamespace;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      description =
          "How often measurements that run over time are looked at: job (default 1s) and kayenta"
              + " (default 15s, Argo's).")
  String pollInterval;

  /** The environment providers read; tests replace it. */
  Map<String, String> environment = System.getenv();

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description = "Replay from TIME (RFC 3339 or Unix seconds) instead of running live.")
  String at;

  @Option(names = "--count", paramLabel = "N", description = "Override every metric's count.")
  Integer count;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "Override every metric's interval (e.g. 30s).")
  String interval;

  @Option(
      names = "--bind-args",
      description =
          "Bind arguments in conditions as values (args[\"NAME\"]) instead of splicing their"
              + " text into the expression as Argo does: an argument cannot change what a"
              + " condition does.")
  boolean bindArgs;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json.")
  Output output = Output.text;

  /** The analysis is Inconclusive: a human decides. */
  static final int INCONCLUSIVE = 4;

  /** The analysis is Error: the measurements could not be taken. */
  static final int ERROR = 5;

  @Override
  public Map<Integer, String> outcomes() {
    return Map.of(
        OK,
        "Successful",
        NOT_GOOD,
        "Failed",
        INCONCLUSIVE,
        "Inconclusive (a human decides)",
        ERROR,
        "Error (measurements failed, e.g. Prometheus unreachable)");
  }

  @Override
  public Integer call() {
    List<AnalysisTemplate> templates = AnalysisTemplate.readAll(template);
    if (templateName != null) {
      templates = templates.stream().filter(t -> t.name().equals(templateName)).toList();
    }
    if (templates.isEmpty()) {
      throw new IllegalArgumentException(
          "no AnalysisTemplate"
              + (templateName == null ? "" : " named '" + templateName + "'")
              + " in "
              + template);
    }
    if (!bindArgs) {
      PrintWriter err = spec.commandLine().getErr();
      for (AnalysisTemplate t : templates) {
        TemplateWarning.check(t).forEach(w -> err.println("warning: " + w.message()));
      }
      err.flush();
    }
    AnalysisTemplate merged =
        overridden(AnalysisTemplate.combine(templates.get(0).name(), templates));
    String ns = namespace != null ? namespace : merged.namespace().orElse("default");
    KubernetesClient client = kubeconfig == null ? null : client(kubeconfig);
    try {
      SecretSource secretSource =
          secrets.isEmpty() ? SecretSource.NONE : SecretSource.fromManifests(secrets);
      if (client != null) {
        String platform =
            platformNamespace != null
                ? platformNamespace
                : KubernetesSecrets.platformNamespace(environment);
        secretSource = secretSource.or(KubernetesSecrets.of(client, platform));
      }
      ProviderContext.Builder context =
          ProviderContext.newBuilder().secrets(secretSource).environment(environment);
      if (client != null) {
        context.service(KubernetesClient.class, client);
      }
      MetricProviders providers = MetricProviders.discover(context.build());
      if (prometheus != null) {
        PrometheusProvider.Builder prom =
            PrometheusProvider.newBuilder().environment(environment).address(prometheus);
        Sigv4Signer.discover().ifPresent(s -> prom.sigv4Signer(s.withEnvironment(environment)));
        providers = providers.with(prom.build());
      }
      if (pollInterval != null) {
        Duration every = GoDuration.parse(pollInterval);
        providers = providers.with(KayentaProvider.newBuilder().pollInterval(every).build());
        if (client != null) {
          providers = providers.with(JobProvider.newBuilder(client).pollInterval(every).build());
        }
      }
      AnalysisTemplate combined =
          merged.resolve(
              args,
              secretSource.argumentResolver(Optional.of(ns)),
              bindArgs ? ArgumentBinding.VARIABLES : ArgumentBinding.TEXT);
      providers.validate(combined);
      return run(combined, providers, RunIdentity.of(combined.name(), ns));
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  private static KubernetesClient client(Path kubeconfig) {
    String yaml;
    try {
      yaml = java.nio.file.Files.readString(kubeconfig);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read --kubeconfig " + kubeconfig, e);
    }
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
  }

  private int run(AnalysisTemplate combined, MetricProviders providers, RunIdentity identity) {
    List<Taken> lines = new ArrayList<>();
    AnalysisListener listener =
        new AnalysisListener() {
          @Override
          public synchronized void measurementTaken(String metric, Measurement m) {
            lines.add(new Taken(metric, m));
            if (output == Output.text) {
              PrintWriter out = spec.commandLine().getOut();
              out.println(
                  String.join(
                          "  ",
                          m.startedAt().toString(),
                          metric,
                          m.phase().toString(),
                          m.value().map(Object::toString).orElse("-"),
                          m.message())
                      .stripTrailing());
              out.flush();
            }
          }
        };
    AnalysisResult result;
    if (at != null) {
      result = AnalysisRun.replay(combined, providers, parseTime(at), listener);
    } else {
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
      try {
        result =
            AnalysisRun.start(
                    combined,
                    providers,
                    AnalysisScheduler.of(executor, Clock.systemUTC()),
                    listener,
                    identity)
                .completion()
                .join();
      } finally {
        executor.shutdownNow();
      }
    }
    print(result, lines);
    return exitCode(result.phase());
  }

  private AnalysisTemplate overridden(AnalysisTemplate t) {
    if (count == null && interval == null) {
      return t;
    }
    Duration every = interval == null ? null : GoDuration.parse(interval);
    List<Metric> metrics = new ArrayList<>();
    for (Metric m : t.metrics()) {
      Metric.Builder b = m.newBuilder();
      if (count != null) {
        b.count(count);
      }
      if (every != null) {
        b.interval(every);
      }
      metrics.add(b.build());
    }
    return t.newBuilder().metrics(metrics).build();
  }

  static Instant parseTime(String text) {
    try {
      return TimeArg.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--at must be an RFC 3339 time or Unix seconds, but was '" + text + "'", e);
    }
  }

  static int exitCode(AnalysisPhase phase) {
    return switch (phase) {
      case SUCCESSFUL -> OK;
      case FAILED -> NOT_GOOD;
      case INCONCLUSIVE -> INCONCLUSIVE;
      default -> ERROR;
    };
  }

  /** One measurement of one metric, as taken. */
  private record Taken(String metric, Measurement measurement) {}

  /**
   * A measured value as JSON: numbers as numbers, lists and maps as such; NaN and infinities, which
   * JSON cannot hold, as Prometheus writes them ("NaN", "+Inf", "-Inf").
   */
  static JsonNode valueJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value instanceof Double d) {
      return d.isNaN()
          ? f.stringNode("NaN")
          : d.isInfinite() ? f.stringNode(d > 0 ? "+Inf" : "-Inf") : f.numberNode(d);
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof String str) {
      return f.stringNode(str);
    }
    if (value instanceof MetricValue v) {
      return valueJson(v.celValue());
    }
    if (value instanceof List<?> list) {
      ArrayNode a = f.arrayNode();
      list.forEach(o -> a.add(valueJson(o)));
      return a;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode o = f.objectNode();
      map.forEach((k, v) -> o.set(String.valueOf(k), valueJson(v)));
      return o;
    }
    return f.nullNode();
  }

  private void print(AnalysisResult result, List<Taken> lines) {
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.text) {
      for (MetricResult m : result.metrics()) {
        out.println(
            "metric "
                + m.name()
                + ": "
                + m.phase()
                + " (successful "
                + m.successful()
                + ", failed "
                + m.failed()
                + ", inconclusive "
                + m.inconclusive()
                + ", error "
                + m.error()
                + ")"
                + (m.dryRun() ? " [dry-run]" : ""));
      }
      out.println("phase: " + result.phase());
      if (!result.message().isEmpty()) {
        out.println("message: " + result.message());
      }
    } else {
      JsonNodeFactory f = JsonNodeFactory.instance;
      ObjectNode root = f.objectNode();
      root.put("phase", result.phase().toString());
      root.put("message", result.message());
      ArrayNode measurements = root.putArray("measurements");
      for (Taken t : lines) {
        Measurement taken = t.measurement();
        ObjectNode m = measurements.addObject();
        m.put("time", taken.startedAt().toString());
        m.put("metric", t.metric());
        m.put("phase", taken.phase().toString());
        m.set("value", taken.value().map(AnalyzeCommand::valueJson).orElse(f.nullNode()));
        m.put("message", taken.message());
      }
      ArrayNode metrics = root.putArray("metrics");
      for (MetricResult r : result.metrics()) {
        ObjectNode m = metrics.addObject();
        m.put("name", r.name());
        m.put("phase", r.phase().toString());
        m.put("count", r.count());
        m.put("successful", r.successful());
        m.put("failed", r.failed());
        m.put("inconclusive", r.inconclusive());
        m.put("error", r.error());
        m.put("dryRun", r.dryRun());
        m.put("message", r.message());
      }
      out.println(Yaml.toPrettyJson(root));
    }
    out.flush();
  }
}
