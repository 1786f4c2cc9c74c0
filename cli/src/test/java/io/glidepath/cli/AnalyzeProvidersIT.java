package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.JobRule;
import io.glidepath.testkit.metrics.Answer;
import io.glidepath.testkit.metrics.FakeMetricsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code glidepath analyze} with every provider: endpoints in the templates, credentials from
 * {@code --secrets} Secret manifests and the environment, Jobs in a cluster via {@code
 * --kubeconfig}; each outcome maps to its exit code (0 Successful, 1 Failed, 4 Inconclusive, 5
 * Error).
 */
class AnalyzeProvidersIT {
  private static FakeMetricsServer server;
  @TempDir static Path dir;
  private static Path secrets;

  record Case(
      String name,
      Function<String, String> provider,
      String result,
      Function<FakeMetricsServer, FakeMetricsServer.Backend> backend,
      double pass,
      double fail,
      double inconclusive) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws IOException {
    server = FakeMetricsServer.start().kayentaIncompletePolls(0);
    String base = server.uri().toString();
    secrets =
        Files.writeString(
            dir.resolve("secrets.yaml"),
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: datadog}
            stringData:
              address: %1$s
              api-key: %2$s
              app-key: %3$s
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: newrelic}
            stringData:
              personal-api-key: %4$s
              account-id: "%5$d"
              base-url-nerdgraph: %1$s%6$s
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: influxdb}
            stringData: {address: "%1$s", authToken: %7$s, org: %8$s}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: wavefront-api-tokens}
            stringData:
              "%1$s": %9$s
            """
                .formatted(
                    base,
                    FakeMetricsServer.DATADOG_API_KEY,
                    FakeMetricsServer.DATADOG_APP_KEY,
                    FakeMetricsServer.NEWRELIC_API_KEY,
                    FakeMetricsServer.NEWRELIC_ACCOUNT_ID,
                    FakeMetricsServer.NERDGRAPH_PATH,
                    FakeMetricsServer.INFLUX_TOKEN,
                    FakeMetricsServer.INFLUX_ORG,
                    FakeMetricsServer.WAVEFRONT_TOKEN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "datadog",
            s -> "datadog: {apiVersion: v2, query: 'avg:errors{*}'}",
            "result",
            FakeMetricsServer::datadog,
            0.99,
            0.5,
            0.95),
        new Case(
            "newRelic",
            s -> "newRelic: {query: 'SELECT count(*) AS value FROM T'}",
            "result.value",
            FakeMetricsServer::newRelic,
            0.99,
            0.5,
            0.95),
        new Case(
            "wavefront",
            s -> "wavefront: {address: '" + s + "', query: 'ts(x)'}",
            "result",
            FakeMetricsServer::wavefront,
            0.99,
            0.5,
            0.95),
        new Case(
            "graphite",
            s -> "graphite: {address: '" + s + "', query: 'target=x'}",
            "result[0]",
            FakeMetricsServer::graphite,
            0.99,
            0.5,
            0.95),
        new Case(
            "influxdb",
            s -> "influxdb: {query: 'from(bucket: \"b\")'}",
            "result[0]",
            FakeMetricsServer::influxDb,
            0.99,
            0.5,
            0.95),
        new Case(
            "skywalking",
            s -> "skywalking: {address: '" + s + "', interval: 5m, query: 'query { x }'}",
            "result.result.values.values[0].value",
            FakeMetricsServer::skyWalking,
            0.99,
            0.5,
            0.95),
        new Case(
            "prometheus",
            s -> "prometheus: {address: '" + s + "', query: up}",
            "result[0]",
            FakeMetricsServer::prometheus,
            0.99,
            0.5,
            0.95),
        new Case(
            "web",
            s ->
                "web: {url: '"
                    + s
                    + "/api/v1/query?query=up', jsonPath: '{$.data.result[0].value[1]}'}",
            "double(result)",
            FakeMetricsServer::prometheus,
            0.99,
            0.5,
            0.95),
        new Case(
            "cloudWatch",
            s -> "cloudWatch: {metricDataQueries: [{id: q, expression: 'SUM(METRICS())'}]}",
            "result[0].Values[0]",
            FakeMetricsServer::cloudWatch,
            0.99,
            0.5,
            0.95),
        new Case(
            "kayenta",
            s ->
                "kayenta: {address: '"
                    + s
                    + "', application: a, canaryConfigName: "
                    + FakeMetricsServer.KAYENTA_CONFIG
                    + ", metricsAccountName: m,"
                    + " configurationAccountName: c, storageAccountName: s,"
                    + " threshold: {pass: 90, marginal: 60}, scopes: [{name: default,"
                    + " controlScope: {scope: stable}, experimentScope: {scope: canary}}]}",
            null,
            FakeMetricsServer::kayenta,
            95,
            30,
            70));
  }

  static Stream<Arguments> outcomes() {
    return cases().flatMap(c -> Stream.of(0, 1, 4, 5).map(code -> Arguments.of(c, code)));
  }

  static CliRun analyze(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    AnalyzeCommand analyze = cl.getSubcommands().get("analyze").getCommand();
    analyze.environment = env;
    String[] all = Stream.concat(Stream.of("analyze"), Stream.of(args)).toArray(String[]::new);
    int code = cl.execute(all);
    return new CliRun(code, out.toString(), err.toString());
  }

  record CliRun(int code, String out, String err) {}

  private static Map<String, String> awsEnv() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", FakeMetricsServer.AWS_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", FakeMetricsServer.AWS_SECRET_KEY,
        "AWS_REGION", FakeMetricsServer.AWS_REGION,
        "AWS_ENDPOINT_URL_CLOUDWATCH", server.uri().toString());
  }

  @ParameterizedTest(name = "{0} exits {1}")
  @MethodSource("outcomes")
  void everyProviderOutcomeHasItsExitCode(Case c, int code) throws IOException {
    FakeMetricsServer.Backend b = c.backend().apply(server);
    switch (code) {
      case 0 -> b.respond(Answer.values(c.pass()));
      case 1 -> b.respond(Answer.values(c.fail()));
      case 4 -> b.respond(Answer.values(c.inconclusive()));
      default -> b.respond(Answer.error(400, "bad query for the CLI"));
    }
    String conditions =
        c.result() == null
            ? ""
            : "    successCondition: \""
                + c.result()
                + " >= 0.98\"\n"
                + "    failureCondition: \""
                + c.result()
                + " < 0.9\"\n";
    Path template =
        Files.writeString(
            dir.resolve(c.name() + ".yaml"),
            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: "
                + c.name().toLowerCase()
                + "}\nspec:\n  metrics:\n  - name: m\n    consecutiveErrorLimit: 0\n"
                + conditions
                + "    provider:\n      "
                + c.provider().apply(server.uri().toString())
                + "\n");
    CliRun run =
        analyze(
            awsEnv(),
            "--template",
            template.toString(),
            "--secrets",
            secrets.toString(),
            "--poll-interval",
            "1s");
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(code);
    if (code == 5) {
      assertThat(run.out()).contains("bad query for the CLI");
    }
    assertThat(run.out() + run.err())
        .doesNotContain(FakeMetricsServer.DATADOG_API_KEY)
        .doesNotContain(FakeMetricsServer.AWS_SECRET_KEY);
    assertThat(server.violations()).isEmpty();
  }

  @Test
  void jobMetricsRunInTheKubeconfigsCluster() throws IOException {
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder()
            .readyDelay(java.time.Duration.ofMillis(300))
            .jobRule(JobRule.failWhenImage(i -> i.endsWith(":broken")))
            .start()) {
      Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
      for (var e : Map.of("ok", 0, "broken", 1).entrySet()) {
        Path template =
            Files.writeString(
                dir.resolve("job-" + e.getKey() + ".yaml"),
                """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: smoke}
                spec:
                  metrics:
                  - name: smoke
                    provider:
                      job:
                        spec:
                          template:
                            spec:
                              restartPolicy: Never
                              containers: [{name: t, image: "smoke:%s"}]
                """
                    .formatted(e.getKey()));
        CliRun run =
            analyze(
                Map.of(),
                "--template",
                template.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespace",
                "default");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(e.getValue());
        assertThat(run.out()).contains("Job default/");
      }
      CliRun noNamespace =
          analyze(
              Map.of(),
              "--template",
              dir.resolve("job-ok.yaml").toString(),
              "--kubeconfig",
              kubeconfig.toString(),
              "--namespace",
              "missing");
      assertThat(noNamespace.code()).isEqualTo(5);
      assertThat(noNamespace.out()).contains("creating Job missing/");
      assertThat(cluster.client().batch().v1().jobs().inNamespace("default").list().getItems())
          .hasSize(2);
    }
  }

  @Test
  void optionsAProviderRefusesExitTwoNamingTheField() throws IOException {
    Path template =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: bad}\n"
                + "spec:\n  metrics:\n  - name: m\n    provider:\n"
                + "      datadog: {apiVersion: v2, query: q, aggregator: median}\n");
    CliRun run = analyze(Map.of(), "--template", template.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("spec.metrics[0].provider.datadog.aggregator");
  }
}
