package io.glidepath.examples.fleet;

import io.glidepath.appset.ApplicationSetController;
import io.glidepath.appset.GeneratorContext;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.examples.GitOpsConfigs;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.cluster.ClusterRegistry;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.GitDesiredStateSource;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fleet example, end to end in one JVM: a control plane and three clusters (staging, prod-eu,
 * prod-us) as EmbeddedClusters, registered by Argo CD cluster Secrets; a local Git server holding
 * {@code examples/gitops-configs}, where CI tagged the releases v1, v2 and v3 of trade-service; the
 * ApplicationSet {@code appsets/trade-service-fleet.yaml} and its AnalysisTemplate {@code
 * appsets/trade-service-success-rate.yaml} applied to the control plane, as they are.
 *
 * <p>The story: v1 is rolled out; v2 is promoted cluster by cluster, each next cluster only once
 * the success rate of the one before passed; v3 fails its analysis on staging, so staging is rolled
 * back to v2 and the prod clusters never see v3. Run it with {@code java ... FleetPromotion};
 * {@code FleetPromotionIT} runs it in CI.
 */
public final class FleetPromotion {
  /** The clusters, in the order the ApplicationSet's steps promote through them. */
  public static final List<String> CLUSTERS = List.of("staging", "prod-eu", "prod-us");

  static final String REPO = "gitops-configs";
  static final String OVERLAY = "apps/trade-service-kustomize/overlays/fleet/kustomization.yaml";
  static final ResourceKey APPSET =
      new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "trade-service");
  private static final Duration WAIT = Duration.ofSeconds(40);

  /**
   * What happened.
   *
   * @param v2Order the clusters in the order they started running v2
   * @param stagingRanV3 whether staging ran v3 before it was rolled back
   * @param releases the release each cluster runs at the end
   * @param rollout the ApplicationSet's {@code RolloutProgressing} condition at the end
   */
  public record Outcome(
      List<String> v2Order, boolean stagingRanV3, Map<String, String> releases, JsonNode rollout) {}

  private final Consumer<String> say;
  // what a wait that gives up reports
  private java.util.function.Supplier<String> state = () -> "";

  private FleetPromotion(Consumer<String> say) {
    this.say = say;
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("glidepath-fleet");
    Outcome o = run(work, System.out::println);
    System.out.println("v2 went to " + String.join(" -> ", o.v2Order()));
    System.out.println("at the end: " + o.releases());
    System.out.println(o.rollout().path("message").asString());
  }

  /** Runs the story in {@code work} (a scratch directory), telling what happens to {@code say}. */
  public static Outcome run(Path work, Consumer<String> say) throws IOException {
    return new FleetPromotion(say).story(work);
  }

  private Outcome story(Path work) throws IOException {
    Path configs = GitOpsConfigs.copyTo(work.resolve("gitops-configs"));
    Map<String, EmbeddedCluster> embedded = new LinkedHashMap<>();
    Map<String, KubeCluster> destinations = new LinkedHashMap<>();
    List<ApplicationController> apps = new ArrayList<>();
    try (LocalGitServer git = LocalGitServer.start();
        GitCache cache = GitCache.open(work.resolve("git-cache"));
        EmbeddedCluster controlEmbedded = EmbeddedCluster.start();
        KubeCluster control = KubeCluster.connect(controlEmbedded.config())) {
      // CI: the repository, and one commit and tag per release (the image tag in the overlay)
      git.seed(REPO, configs, "Initial import of the GitOps configs");
      for (String release : List.of("v1", "v2", "v3")) {
        String overlay =
            Files.readString(configs.resolve(OVERLAY)).replace("newTag: v1", "newTag: " + release);
        String commit =
            git.commitFiles(REPO, Map.of(OVERLAY, overlay), "CI: trade-service " + release);
        git.tag(REPO, release, commit, "trade-service " + release);
      }
      String url = git.url(REPO);
      GitSource source = cache.source(url);

      ClusterRegistry.Builder registry = ClusterRegistry.builder().inCluster(control);
      for (String name : CLUSTERS) {
        EmbeddedCluster e = EmbeddedCluster.start();
        embedded.put(name, e);
        destinations.put(name, KubeCluster.connect(e.config()));
        registry.secret(clusterSecret(name, e.url(), name.startsWith("prod") ? "prod" : name));
      }
      try (ClusterRegistry clusters = registry.build();
          FleetMetrics metrics = FleetMetrics.start(destinations)) {
        state = () -> describe(control, destinations);
        say.accept("control plane  " + controlEmbedded.url());
        CLUSTERS.forEach(c -> say.accept(pad(c) + embedded.get(c).url()));
        say.accept("git            " + url + " (tags v1, v2, v3)");
        say.accept("metrics        " + metrics.url() + " (synthetic: v3 fails 7% of requests)");
        control
            .client()
            .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
            .serverSideApply();
        // the AnalysisTemplate as it is, but for where this run's metrics endpoint listens
        ObjectNode template = (ObjectNode) read(configs, "appsets/trade-service-success-rate.yaml");
        for (JsonNode arg : template.path("spec").path("args")) {
          if (arg.path("name").asString().equals("metrics-url")) {
            ((ObjectNode) arg).put("value", metrics.url());
          }
        }
        control.client().resource(Yaml.toJson(template)).inNamespace("argocd").create();
        GeneratorContext context =
            GeneratorContext.of(
                clusters.clusters(),
                (repo, revision) -> {
                  throw new IllegalStateException("this set has no git generator");
                });
        try (ApplicationSetController set =
            ApplicationSetController.builder(control, "argocd", "trade-service", context)
                .rolloutPollPeriod(Duration.ofMillis(200))
                .build()) {
          return promote(set, control, clusters, source, destinations, configs, url, apps);
        } finally {
          apps.forEach(ApplicationController::close); // before the clusters they talk to
        }
      }
    } finally {
      destinations.values().forEach(KubeCluster::close);
      embedded.values().forEach(EmbeddedCluster::close);
    }
  }

  private Outcome promote(
      ApplicationSetController set,
      KubeCluster control,
      ClusterRegistry clusters,
      GitSource source,
      Map<String, KubeCluster> destinations,
      Path configs,
      String url,
      List<ApplicationController> apps) {
    applySet(control, configs, url, "v1");
    set.start();
    await(() -> applications(control).size() == CLUSTERS.size(), "3 Applications");
    for (Resource a : applications(control)) {
      // a stand-in until the controller reads the Application object it follows
      Application app =
          Application.parse(
              """
                    apiVersion: argoproj.io/v1alpha1
                    kind: Application
                    metadata: {name: %s, namespace: argocd}
                    spec:
                      project: default
                      source: {repoURL: '%s', path: apps/trade-service-kustomize/overlays/fleet}
                      destination: {name: %s, namespace: trading}
                    """
                  .formatted(a.name(), url, a.name().replace("-trade-service", "")),
              a.name());
      ApplicationController c =
          ApplicationController.builder(
                  app, control, GitDesiredStateSource.of(source, app).withoutFetch())
              .clusters(clusters)
              .resyncPeriod(Duration.ofMillis(500))
              .build();
      c.start();
      apps.add(c);
    }
    await(() -> everywhere(destinations, "v1"), "v1 on every cluster");
    await(() -> reason(control).equals("ApplicationSetRolloutComplete"), "v1 complete");
    say.accept("v1 runs on " + releases(destinations));

    say.accept("promoting v2");
    applySet(control, configs, url, "v2");
    set.refresh(); // a pass now (the controller looks again every resync period)
    List<String> order = new ArrayList<>();
    await(
        () -> {
          releases(destinations)
              .forEach(
                  (c, r) -> {
                    if (r.equals("v2") && !order.contains(c)) {
                      order.add(c);
                      say.accept("  " + c + " runs v2");
                    }
                  });
          return order.size() == CLUSTERS.size()
              && reason(control).equals("ApplicationSetRolloutComplete");
        },
        "v2 on every cluster");

    say.accept("promoting v3");
    applySet(control, configs, url, "v3");
    set.refresh();
    boolean[] sawV3 = {false};
    await(
        () -> {
          if (release(destinations.get("staging")).equals("v3") && !sawV3[0]) {
            sawV3[0] = true;
            say.accept("  staging runs v3");
          }
          return sawV3[0]
              && release(destinations.get("staging")).equals("v2")
              && reason(control).equals("ApplicationSetAnalysisFailed");
        },
        "v3 stopped at staging and rolled back");
    JsonNode rollout = rollout(control);
    say.accept("  " + rollout.path("message").asString());
    return new Outcome(order, sawV3[0], releases(destinations), rollout);
  }

  /** The releases, the set's status and each Application's status, for a wait that gave up. */
  private static String describe(KubeCluster control, Map<String, KubeCluster> destinations) {
    StringBuilder b = new StringBuilder("releases " + releases(destinations));
    control
        .get(APPSET)
        .ifPresent(s -> b.append("; ApplicationSet status ").append(s.body().path("status")));
    for (Resource a : applications(control)) {
      b.append("; ")
          .append(a.name())
          .append(" spec.source ")
          .append(a.body().at("/spec/source"))
          .append(" operation ")
          .append(a.body().path("operation"))
          .append(" status ")
          .append(a.body().path("status").path("sync").path("status"))
          .append(a.body().path("status").path("health"))
          .append(a.body().path("status").path("conditions"))
          .append(a.body().path("status").path("operationState").path("message"));
    }
    return b.toString();
  }

  private static String pad(String s) {
    return (s + "               ").substring(0, 15);
  }

  private static Resource clusterSecret(String name, String server, String env) {
    return Yaml.readResources(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: cluster-%s
              namespace: argocd
              labels: {argocd.argoproj.io/secret-type: cluster, fleet: trading, env: %s}
            stringData:
              name: %s
              server: %s
              config: '{"bearerToken": "example-token"}'
            """
                .formatted(name, env, name, server),
            name + "-secret.yaml")
        .get(0);
  }

  private static JsonNode read(Path configs, String file) {
    try {
      return Yaml.readTree(Files.readString(configs.resolve(file)), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The ApplicationSet file as it is, with the repository this run's Git server serves and the
   * release to promote (what a commit to the file would change).
   */
  private static void applySet(KubeCluster control, Path configs, String url, String release) {
    ObjectNode set = (ObjectNode) read(configs, "appsets/trade-service-fleet.yaml");
    ObjectNode source = (ObjectNode) set.path("spec").path("template").path("spec").path("source");
    source.put("repoURL", url);
    source.put("targetRevision", release);
    control.client().resource(Yaml.toJson(set)).inNamespace("argocd").createOr(r -> r.update());
  }

  private static List<Resource> applications(KubeCluster control) {
    List<Resource> out = new ArrayList<>();
    for (String c : CLUSTERS) {
      control
          .get(new ResourceKey("argoproj.io", "Application", "argocd", c + "-trade-service"))
          .ifPresent(out::add);
    }
    return out;
  }

  private static String release(KubeCluster cluster) {
    return FleetMetrics.release(cluster).orElse("none");
  }

  private static Map<String, String> releases(Map<String, KubeCluster> destinations) {
    Map<String, String> out = new LinkedHashMap<>();
    destinations.forEach((name, c) -> out.put(name, release(c)));
    return out;
  }

  private static boolean everywhere(Map<String, KubeCluster> destinations, String release) {
    return releases(destinations).values().stream().allMatch(release::equals);
  }

  private static JsonNode rollout(KubeCluster control) {
    for (JsonNode c : control.get(APPSET).orElseThrow().body().path("status").path("conditions")) {
      if (c.path("type").asString("").equals("RolloutProgressing")) {
        return c;
      }
    }
    return Yaml.mapper().createObjectNode();
  }

  private static String reason(KubeCluster control) {
    return rollout(control).path("reason").asString("");
  }

  /** Waits (polling every 50 ms) until {@code done}, at most 40 s. */
  private void await(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "gave up waiting for " + what + " after " + WAIT + "; " + state.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }
}
