package io.glidepath.examples.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.core.app.Application;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.values.Values;
import io.glidepath.examples.GitOpsConfigs;
import io.glidepath.examples.WebhookReceiver;
import io.glidepath.examples.demo.report.DemoEvent;
import io.glidepath.examples.demo.report.DemoRecorder;
import io.glidepath.examples.demo.report.DemoReport;
import io.glidepath.examples.traffic.TrafficProfile;
import io.glidepath.examples.traffic.TrafficSimulator;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.git.backfill.BackfillRequest;
import io.glidepath.git.backfill.BackfillResult;
import io.glidepath.git.backfill.DriftBackfill;
import io.glidepath.git.backfill.HelmValueMapping;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.git.watch.PollScheduler;
import io.glidepath.git.writeback.GitWriteBack;
import io.glidepath.git.writeback.WriteBackResult;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.controller.AppCondition;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.SourceType;
import io.glidepath.kube.controller.SyncReason;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.WebhookNotifier;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.git.LocalGitServer;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * The trade-service example's whole flow on embedded defaults, README command 1 ({@code glidepath
 * demo}): a LocalGitServer holding {@code examples/gitops-configs}, an EmbeddedCluster, simulated
 * trade-service traffic scraped by a real Prometheus (or, when none is installed, a synthetic
 * stand-in, said so on the terminal), and a local webhook receiver. Then the story:
 *
 * <ol>
 *   <li>CI writes image tag {@code v2} into {@code apps/trade-service/values.yaml} ({@link
 *       GitWriteBack});
 *   <li>the {@link ApplicationController} renders the new commit and syncs production;
 *   <li>the {@link RolloutDriver} runs the example's canary, traffic following the VirtualService
 *       weights, the analyses measuring the canary Service's traffic in Prometheus;
 *   <li>CI writes {@code v3}, a build with 8% errors: the analysis fails, the canary is rolled back
 *       and the webhook receiver prints the notification;
 *   <li>a manual scale is reverted by selfHeal; with selfHeal off (the emergency channel) the same
 *       hotfix stays, and is written back to Git on a branch.
 * </ol>
 *
 * <p>The chart keeps the example's real durations; the demo divides pauses, analysis intervals and
 * query ranges by {@code timeScale} ({@link TimeScale}).
 *
 * <p>It ends with a summary and a self-contained HTML report ({@link DemoReport}: the timeline,
 * charts of each canary's measurements against its AnalysisTemplates' thresholds, the sync
 * history), written from what the SDK's listeners told a {@link DemoRecorder}, by default to a new
 * {@code glidepath-demo-report-*.html} file under {@code java.io.tmpdir}, or to {@link
 * Builder#report(Path)}. The run's temporary directories (Git repositories, caches, the copy of the
 * example) are removed when it ends.
 *
 * <pre>{@code
 * DemoOutcome outcome = GitOpsDemo.builder().out(System.out).timeScale(20).build().run();
 * System.exit(outcome.exitCode());
 * }</pre>
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class GitOpsDemo {
  /** Default compression: the example's 15-minute canary in under a minute. */
  public static final double DEFAULT_TIME_SCALE = 20;

  static final String APP_PATH = "apps/trade-service";
  static final String NAMESPACE = "production";
  static final String NAME = "trade-service";
  static final String STABLE = NAME + "-stable";
  static final String CANARY = NAME + "-canary";
  static final String REPO = "gitops-configs";
  static final ResourceKey ROLLOUT = new ResourceKey("argoproj.io", "Rollout", NAMESPACE, NAME);
  static final Duration SCRAPE = Duration.ofMillis(250);
  static final TrafficProfile V3_PROFILE = new TrafficProfile(0.08, 0.2);

  /**
   * The start of the report's file name when no other file is given: a new {@code
   * glidepath-demo-report-*.html} in the temporary directory ({@code java.io.tmpdir}).
   */
  public static final String REPORT_FILE_PREFIX = "glidepath-demo-report-";

  private final PrintStream out;
  private final TimeScale scale;
  private final boolean allowSynthetic;
  private final Path reportFile;
  private final Path tempRoot;
  private DemoRecorder recorder;
  private volatile java.net.URI webhookUri;
  private List<AnalysisTemplate> templates = List.of();
  private final long startNanos = System.nanoTime();
  private final List<String> timeline = new ArrayList<>();

  // what the traffic follows; written on the driver's thread
  private volatile String stableTag = "";
  private volatile String canaryTag = "";
  private volatile TrafficSimulator traffic;
  private volatile boolean realPrometheus;
  private final Map<String, String> thresholds = new LinkedHashMap<>();
  // the steps of the plan the driver runs, to tell a promotion's weight 0 from a rollback's
  private volatile int planSteps = Integer.MAX_VALUE;
  // what each resource's drift was when its sync was planned, to print only what a sync changed
  private final Map<ResourceKey, DriftStatus> plannedDrift = new ConcurrentHashMap<>();
  // the orphaned resources already explained
  private final Set<String> orphansShown = ConcurrentHashMap.newKeySet();

  private GitOpsDemo(Builder b) {
    this.out = b.out;
    this.scale = TimeScale.of(b.timeScale);
    this.allowSynthetic = b.allowSynthetic;
    this.reportFile = b.report;
    this.tempRoot = b.tempRoot;
  }

  /** A builder with the defaults: System.out, time scale {@value #DEFAULT_TIME_SCALE}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the whole story, writes the HTML report (also when the story fails part way) and returns
   * what it showed.
   */
  public DemoOutcome run() {
    recorder = DemoRecorder.start(Clock.systemUTC());
    Path work;
    Path report;
    try {
      work =
          tempRoot != null
              ? Files.createTempDirectory(tempRoot, "glidepath-demo-")
              : Files.createTempDirectory("glidepath-demo-");
      report = reportFile != null ? reportFile : Files.createTempFile(REPORT_FILE_PREFIX, ".html");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (ExitCleanup cleanup = ExitCleanup.install(work)) {
      return run(work, report, cleanup);
    }
  }

  private DemoOutcome run(Path work, Path report, ExitCleanup cleanup) {
    DemoOutcome outcome;
    try {
      outcome = runStory(work, cleanup);
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        writeReport(report, null);
        say("Demo failed part way; report so far: " + report.toAbsolutePath());
      } catch (RuntimeException reportFailure) {
        e.addSuppressed(reportFailure);
      }
      TempFiles.deleteTree(work);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("demo interrupted", e);
      }
      throw (RuntimeException) e;
    }
    try {
      outcome = outcome.withReport(writeReport(report, outcome));
    } catch (UncheckedIOException e) {
      // the story's outcome (and exit code) stands without its report
      say("HTML report NOT written: " + e.getMessage() + ": " + e.getCause());
    }
    // the Git repositories, caches and copies the story used; only the report stays
    TempFiles.deleteTree(work);
    printSummary(outcome);
    return outcome;
  }

  /** The HTML report of what the recorder saw; {@code outcome} is null when the story failed. */
  private Path writeReport(Path file, DemoOutcome o) {
    DemoReport.Builder b =
        DemoReport.builder(recorder.events())
            .startedAt(recorder.startedAt())
            .timeScale(scale.factor())
            .metricsSource(
                realPrometheus
                    ? "Prometheus (the real binary, scraping the simulated traffic every 250 ms)"
                    : "a SYNTHETIC provider answering from the traffic profiles (Prometheus is"
                        + " not installed)");
    java.net.URI hook = webhookUri;
    if (hook != null) {
      // WebhookNotifier's rule: a webhook URL may carry a token (Slack's do)
      b.mask(List.of(hook.toString()));
    }
    if (o == null) {
      b.summary("demo", "did not finish: the report shows what happened until it stopped", false);
    } else {
      b.summary(
              "v2 (healthy)", o.v2Promoted() ? "promoted to 100%" : "NOT promoted", o.v2Promoted())
          .summary(
              "v3 (8% errors)",
              o.v3RolledBack() ? "rolled back" : "NOT rolled back", o.v3RolledBack())
          .summary(
              "notification",
              o.notification().isPresent() ? "received" : "NOT received",
              o.notification().isPresent())
          .summary(
              "manual scale",
              o.selfHealReverted() ? "reverted by selfHeal" : "NOT reverted",
              o.selfHealReverted())
          .summary(
              "emergency hotfix",
              o.backfillBranch()
                  .map(br -> "written back to branch " + br)
                  .orElse("NOT written back"),
              o.backfillBranch().isPresent())
          .summary("result", o.exitCode() == 0 ? "Demo OK" : "Demo FAILED", o.exitCode() == 0);
    }
    return b.build().write(file);
  }

  private DemoOutcome runStory(Path work, ExitCleanup cleanup)
      throws IOException, InterruptedException {
    Path configs = GitOpsConfigs.copyTo(work.resolve("gitops-configs"));
    Optional<String> noPrometheus = PrometheusServer.unavailableReason();
    if (noPrometheus.isPresent() && !allowSynthetic) {
      throw new IllegalStateException(
          noPrometheus.get() + " (" + PrometheusServer.INSTALL_HINT + ")");
    }
    say("Glidepath demo: the trade-service example, time compressed x" + fmt(scale.factor()));
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, daemon());
    try (LocalGitServer git = LocalGitServer.start();
        EmbeddedCluster embedded = EmbeddedCluster.start();
        KubeCluster cluster = KubeCluster.connect(embedded.config());
        TrafficSimulator sim = TrafficSimulator.start(Clock.systemUTC(), 200);
        WebhookReceiver hooks = WebhookReceiver.start(recorder::notification);
        GitCache cache = GitCache.open(work.resolve("git-cache"))) {
      cleanup.onExit(git); // a git daemon process and its repositories
      traffic = sim;
      webhookUri = hooks.uri();
      sim.profile("v3", V3_PROFILE);
      git.seed(REPO, configs, "Initial import of the GitOps configs");
      String url = git.url(REPO);
      GitSource source = cache.source(url);
      PrometheusServer prometheus = null;
      realPrometheus = noPrometheus.isEmpty();
      MetricProvider provider;
      if (noPrometheus.isEmpty()) {
        prometheus =
            cleanup.onExit(
                PrometheusServer.newBuilder().scrape(NAME, sim.metricsUri(), SCRAPE).start());
        provider = PrometheusProvider.ofDefaults();
      } else {
        provider = new SyntheticPrometheus(sim);
      }
      try {
        say("  Git server     " + url + " (examples/gitops-configs)");
        say("  cluster        " + embedded.url() + " (EmbeddedCluster, simulated controller)");
        say("  traffic        " + sim.metricsUri() + " (simulated trade-service, 200 req/s)");
        if (prometheus != null) {
          say("  Prometheus     " + prometheus.uri() + " (real, scraping every 250ms)");
        } else {
          say(
              "  Prometheus     NOT INSTALLED ("
                  + noPrometheus.get()
                  + "); analyses use a SYNTHETIC provider answering from the traffic profiles."
                  + " Install it for the real thing: "
                  + PrometheusServer.INSTALL_HINT);
        }
        say("  webhook        " + hooks.uri());
        return story(
            configs, git, source, cluster, embedded, sim, hooks, prometheus, provider, executor);
      } finally {
        if (prometheus != null) {
          prometheus.close();
        }
      }
    } finally {
      executor.shutdownNow();
    }
  }

  private DemoOutcome story(
      Path configs,
      LocalGitServer git,
      GitSource source,
      KubeCluster cluster,
      EmbeddedCluster embedded,
      TrafficSimulator sim,
      WebhookReceiver hooks,
      PrometheusServer prometheus,
      MetricProvider provider,
      ScheduledExecutorService executor)
      throws InterruptedException {
    Path repoDir = git.repoDir(REPO);
    Application app = Application.read(configs.resolve(APP_PATH).resolve("argocd-app.yaml"));
    Optional<String> prometheusAddress =
        Optional.ofNullable(prometheus).map(p -> p.uri().toString());
    // the controller sees each new commit through a GitWatcher polling the branch (Argo CD polls
    // every 3 minutes or takes a webhook; the demo polls every second)
    GitWatcher watcher =
        GitWatcher.builder(source, app.source().targetRevision())
            .interval(Duration.ofSeconds(1))
            .jitter(0)
            .scheduler(PollScheduler.of(executor))
            .build();
    ApplicationController controller =
        ApplicationController.builder(app, cluster, () -> render(source, app, prometheusAddress))
            .statusNamespace("default")
            .projects(projects(configs))
            .gitWatcher(watcher)
            .selfHealBackoff(Duration.ofSeconds(1))
            // the demo runs on the wall clock: its syncs count as manual, so that the production
            // project's Friday freeze (manualSync: true) cannot stop a demo run on a Friday evening
            .manualSync(true)
            .listener(syncPrinter(recorder.controllerListener()))
            // hooks (the chart's pre-upgrade migration Job) are polled for completion this often
            .engine(SyncEngine.builder(cluster).pollInterval(Duration.ofMillis(100)).build())
            .build();
    KubernetesClient client = embedded.client();
    RolloutDriver driver =
        RolloutDriver.builder(RolloutCluster.kubernetes(client))
            .routers(p -> TrafficRouter.forPlan(client, p))
            .providers(MetricProviders.of(provider))
            .scheduler(AnalysisScheduler.of(executor, Clock.systemUTC()))
            .pollInterval(Duration.ofMillis(200))
            .listener(RolloutListener.of(this::onRolloutEvent))
            .listener(recorder)
            .listener(WebhookNotifier.of(hooks.uri()))
            .build();
    GitWriteBack ci =
        GitWriteBack.builder(source)
            .author("CI Bot", "ci-bot@example.com")
            .messageTemplate("ci: deploy trade-service {value}")
            .build();
    Duration canaryBudget = scale.scale(Duration.ofMinutes(16)).plusSeconds(30);
    try {
      say("");
      chapter("0. the GitOps repository as imported: sync and first deployment");
      AppStatus first = controller.reconcile();
      say("   " + first.message());
      explainOrphans(first);
      controller.start();
      say("   controller running: watching the branch, the live objects and a periodic resync");
      CanaryPlan firstPlan = plan(cluster);
      stableTag = tagOf(firstPlan);
      Rollout initial = start(driver, firstPlan, false);
      sim.route(STABLE, stableTag, 1.0);
      sim.route(CANARY, stableTag, 0.0);
      if (prometheus != null) {
        awaitScraped(prometheus);
      }
      await(() -> initial.status().isPromoted(), Duration.ofSeconds(30));
      milestone("   stable build '" + stableTag + "' serves 100% of the traffic");

      say("");
      chapter("1. CI writes image tag v2 (a healthy build) into " + APP_PATH + "/values.yaml");
      String v2Commit = ciWrite(ci, git, repoDir, "v2");
      chapter("2. the ApplicationController sees the commit and syncs production");
      AppStatus v2Synced = awaitSynced(controller, v2Commit);
      say("   " + v2Synced.message());
      explainOrphans(v2Synced);
      chapter("3. the RolloutDriver runs the example's canary for v2");
      Rollout v2 = start(driver, plan(cluster), true);
      migrationBeforeReplicaSet(client, "v2");
      await(() -> v2.status().isPromoted() || v2.status().aborted(), canaryBudget);
      boolean v2Promoted = v2.status().isPromoted();
      milestone(
          v2Promoted
              ? "   v2 promoted: 100% of the traffic on v2"
              : "   v2 NOT promoted: " + v2.status().message());

      // CI builds v3 meanwhile; by then v2's last canary traffic has left the (scaled) query range
      pause(scale.scale(Duration.ofMinutes(1)).plus(TimeScale.MIN_RANGE));
      say("");
      chapter("4. CI writes image tag v3 (a build with 8% errors)");
      String v3Commit = ciWrite(ci, git, repoDir, "v3");
      AppStatus v3Synced = awaitSynced(controller, v3Commit);
      say("   " + v3Synced.message());
      explainOrphans(v3Synced);
      Rollout v3 = start(driver, plan(cluster), true);
      await(() -> v3.status().isPromoted() || v3.status().aborted(), canaryBudget);
      boolean v3RolledBack = v3.status().aborted() && stableTag.equals("v2");
      milestone(
          v3RolledBack
              ? "   v3 rolled back automatically: 100% of the traffic back on " + stableTag
              : "   v3 NOT rolled back: " + v3.status().message());
      Optional<String> notification = rollbackNotification(hooks, Duration.ofSeconds(10));
      notification.ifPresentOrElse(
          n -> milestone("   webhook notification received: " + n),
          () -> milestone("   NO webhook notification received"));

      say("");
      boolean healed = selfHeal(controller, cluster, client);
      controller.close();
      Optional<String> branch =
          emergencyChannel(configs, git, repoDir, source, cluster, client, prometheusAddress);
      return new DemoOutcome(
          v2Promoted,
          v3RolledBack,
          notification,
          healed,
          branch,
          prometheus != null,
          timeline,
          Optional.empty());
    } finally {
      driver.close();
      controller.close();
      watcher.close();
    }
  }

  /**
   * Shows that the chart's pre-upgrade migration hook (a Job the sync ran in its PreSync phase)
   * completed before the RolloutDriver started the new build's ReplicaSet.
   */
  private boolean migrationBeforeReplicaSet(KubernetesClient client, String tag)
      throws InterruptedException {
    String image = ":" + tag;
    java.util.function.Supplier<Optional<io.fabric8.kubernetes.api.model.apps.ReplicaSet>> newRs =
        () ->
            client.apps().replicaSets().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(
                    rs ->
                        rs.getSpec().getTemplate().getSpec().getContainers().stream()
                            .anyMatch(c -> c.getImage().endsWith(image)))
                .findFirst();
    await(() -> newRs.get().isPresent(), Duration.ofSeconds(10));
    var job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(NAME + "-migrate").get();
    Optional<io.fabric8.kubernetes.api.model.apps.ReplicaSet> rs = newRs.get();
    if (job == null
        || job.getStatus() == null
        || job.getStatus().getCompletionTime() == null
        || rs.isEmpty()) {
      milestone(
          "   NO evidence that the migration hook ran before the new ReplicaSet: job "
              + (job == null ? "missing" : "present")
              + ", ReplicaSet "
              + (rs.isPresent() ? "present" : "missing"));
      return false;
    }
    String jobImage = job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    java.time.Instant completed = java.time.Instant.parse(job.getStatus().getCompletionTime());
    java.time.Instant created =
        java.time.Instant.parse(rs.get().getMetadata().getCreationTimestamp());
    boolean before =
        jobImage.endsWith(image)
            && !created.isBefore(completed.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    java.time.format.DateTimeFormatter hms =
        java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
    milestone(
        (before ? "   " : "   NOT ")
            + "pre-upgrade hook: migration Job "
            + NAME
            + "-migrate ("
            + jobImage.substring(jobImage.lastIndexOf(':') + 1)
            + ") completed at "
            + hms.format(completed)
            + " UTC, before the new ReplicaSet "
            + rs.get().getMetadata().getName()
            + " ("
            + tag
            + ") was created at "
            + hms.format(created)
            + " UTC");
    return before;
  }

  /** Step 5, first half: a manual scale of the Rollout is reverted by selfHeal. */
  private boolean selfHeal(
      ApplicationController controller, KubeCluster cluster, KubernetesClient client)
      throws InterruptedException {
    chapter("5. someone scales the Rollout by hand to 15 replicas (kubectl edit)");
    scaleByHand(client, 15);
    say("   live spec.replicas = " + liveReplicas(cluster));
    // the running controller's live watch sees the edit; selfHeal reverts it
    boolean reverted = await(() -> liveReplicas(cluster) == 10, Duration.ofSeconds(30));
    int after = liveReplicas(cluster);
    milestone(
        (reverted ? "   selfHeal reverted it: live spec.replicas = " : "   NOT reverted: ")
            + after
            + " ("
            + controller.status().map(AppStatus::message).orElse("no reconcile")
            + ")");
    return reverted && after == 10;
  }

  /**
   * Step 5, second half: with selfHeal off (the emergency channel) the same manual scale stays; its
   * live value is captured back into Git on a branch, for review, before the next sync undoes it.
   */
  private Optional<String> emergencyChannel(
      Path configs,
      LocalGitServer git,
      Path repoDir,
      GitSource source,
      KubeCluster cluster,
      KubernetesClient client,
      Optional<String> prometheusAddress) {
    Application emergency;
    try {
      Path appFile = configs.resolve(APP_PATH).resolve("argocd-app.yaml");
      emergency =
          Application.parse(
              Files.readString(appFile).replace("selfHeal: true", "selfHeal: false"),
              appFile.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    chapter("5b. emergency channel: selfHeal off, the same hotfix (15 replicas) by hand");
    scaleByHand(client, 15);
    try (ApplicationController manual =
        ApplicationController.builder(
                emergency, cluster, () -> render(source, emergency, prometheusAddress))
            .statusNamespace("default")
            .projects(projects(configs))
            .manualSync(true)
            .listener(recorder.controllerListener())
            .build()) {
      AppStatus status = manual.reconcile();
      say("   controller: " + status.message() + "; live spec.replicas = " + liveReplicas(cluster));
    }
    DesiredState desired = render(source, emergency, prometheusAddress);
    Resource wanted = desired.resources().get(ROLLOUT).orElseThrow();
    Resource live = cluster.get(ROLLOUT).orElseThrow();
    DriftReport report =
        DriftDetector.of(emergency.diffOptions())
            .detect(ResourceSet.of(List.of(wanted)), ResourceSet.of(List.of(live)));
    Optional<ResourceDrift> drift =
        report.get(ROLLOUT).filter(d -> d.status() == DriftStatus.MODIFIED);
    if (drift.isEmpty()) {
      milestone("   no drift to backfill: " + report.summary());
      return Optional.empty();
    }
    List<String> valueFiles = emergency.source().helm().map(h -> h.valueFiles()).orElse(List.of());
    BackfillResult backfill =
        DriftBackfill.builder(source)
            .author("Ops Bot", "ops@example.com")
            .build()
            .backfill(
                BackfillRequest.of(NAME, "main", APP_PATH, drift.get()).withValueFiles(valueFiles));
    if (backfill.committed()) {
      recorder.manualChange(
          "DriftBackfill",
          "pushed commit "
              + backfill.commit().orElseThrow().abbreviated()
              + " to branch "
              + backfill.branch().orElseThrow()
              + " changing "
              + String.join(", ", backfill.changedFiles()));
      milestone("   backfilled to branch " + backfill.branch().orElseThrow());
      return backfill.branch();
    }
    // a Helm app: DriftBackfill names the values key(s); the hotfix is written there on a branch
    for (HelmValueMapping m : backfill.helmValues()) {
      say("   DriftBackfill: " + m.status() + " " + m.field() + ": " + m.explanation());
      Optional<String> key = valuesKey(configs, m);
      Optional<String> file = key.flatMap(k -> valuesFile(configs, valueFiles, k));
      if (key.isPresent() && file.isPresent()) {
        if (m.status() == HelmValueMapping.Status.AMBIGUOUS) {
          say(
              "   It does not guess: the rendered value comes out of the chart's templates, and"
                  + " more than one values key holds it ("
                  + String.join(", ", m.valuesKeys())
                  + "). The demo picks "
                  + key.get()
                  + ", the key templates/rollout.yaml reads for "
                  + m.field()
                  + ", in "
                  + file.get()
                  + ", the last value file that sets it.");
        }
        String branch = "hotfix/trade-service-replicas";
        // opening the branch, as one would in the Git forge's UI
        git.git(repoDir, "branch", branch, "main");
        WriteBackResult r =
            GitWriteBack.builder(source)
                .branch(branch)
                .author("Ops Bot", "ops@example.com")
                .messageTemplate("fix(trade-service): backfill the emergency hotfix {path}={value}")
                .build()
                .set(file.get(), key.get(), Integer.toString(liveReplicas(cluster)));
        String line = git.git(repoDir, "log", "-1", "--format=%h %s", r.head().sha()).strip();
        recorder.committed(DemoEvent.Commit.Kind.BACKFILL, branch, r, subject(line));
        milestone("   backfilled to branch " + branch + ": " + line + " (" + file.get() + ")");
        return Optional.of(branch);
      }
    }
    milestone("   nothing could be backfilled automatically");
    return Optional.empty();
  }

  /**
   * The values key of a backfill mapping: the only candidate, or, when the value is ambiguous
   * (replicaCount and horizontalPodAutoscaler.minReplicas are both 10 in production), the one the
   * Rollout template reads.
   */
  private static Optional<String> valuesKey(Path configs, HelmValueMapping m) {
    if (m.status() == HelmValueMapping.Status.UNAMBIGUOUS && m.valuesKeys().size() == 1) {
      return Optional.of(m.valuesKeys().get(0));
    }
    try {
      String template =
          Files.readString(configs.resolve(APP_PATH).resolve("templates/rollout.yaml"));
      List<String> used =
          m.valuesKeys().stream().filter(k -> template.contains(".Values." + k + " ")).toList();
      return used.size() == 1 ? Optional.of(used.get(0)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last value file (the one that wins) that sets {@code key}, as a repository path. */
  private static Optional<String> valuesFile(Path configs, List<String> valueFiles, String key) {
    for (int i = valueFiles.size() - 1; i >= 0; i--) {
      Path f = configs.resolve(APP_PATH).resolve(valueFiles.get(i));
      if (Values.read(f).get(key).isPresent()) {
        return Optional.of(APP_PATH + "/" + valueFiles.get(i));
      }
    }
    return Optional.empty();
  }

  private void scaleByHand(KubernetesClient client, int replicas) {
    recorder.manualChange(
        "kubectl-edit", "Rollout " + ROLLOUT + ": spec.replicas set to " + replicas + " by hand");
    client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Rollout")
        .inNamespace(NAMESPACE)
        .withName(NAME)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-edit")
                .build(),
            "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private static int liveReplicas(KubeCluster cluster) {
    return cluster.get(ROLLOUT).map(r -> r.body().path("spec").path("replicas").asInt()).orElse(-1);
  }

  /** CI's write-back; returns the commit. */
  private String ciWrite(GitWriteBack ci, LocalGitServer git, Path repoDir, String tag) {
    WriteBackResult r = ci.set(APP_PATH + "/values.yaml", "image.tag", tag);
    String line = git.git(repoDir, "log", "-1", "--format=%h %s", r.head().sha()).strip();
    recorder.committed(DemoEvent.Commit.Kind.CI_WRITE_BACK, "main", r, subject(line));
    say("   commit " + line);
    return r.head().sha();
  }

  /** Waits for the running controller to have synced {@code commit}, seen by its GitWatcher. */
  private static AppStatus awaitSynced(ApplicationController controller, String commit)
      throws InterruptedException {
    BooleanSupplier synced =
        () ->
            controller
                .status()
                .flatMap(AppStatus::lastSyncedRevision)
                .filter(r -> r.startsWith(commit))
                .isPresent();
    if (!await(synced, Duration.ofSeconds(60))) {
      throw new IllegalStateException(
          "the controller did not sync commit "
              + commit.substring(0, 7)
              + " within 60 s: "
              + controller.status().map(AppStatus::message).orElse("no reconcile yet"));
    }
    return controller.status().orElseThrow();
  }

  /** Renders the app at the head of its target revision, as the controller's desired state. */
  private static DesiredState render(
      GitSource source, Application app, Optional<String> prometheusAddress) {
    CommitId commit = source.fetchAndResolve(app.source().targetRevision());
    try (Snapshot snapshot = source.snapshot(commit)) {
      snapshot.requireContainedLinks(source.remote().url());
      RenderRequest seed = app.renderRequest(snapshot.root());
      // The example's image.tag parameter is an empty placeholder ("updated by CI"); the demo's CI
      // writes values.yaml instead, so an empty parameter must not override it.
      RenderRequest.Builder b =
          RenderRequest.builder(snapshot.root(), seed.appPath())
              .valueFiles(seed.valueFiles())
              .releaseName(seed.releaseName());
      seed.namespace().ifPresent(b::namespace);
      for (Parameter p : seed.parameters()) {
        if (!p.value().isEmpty()) {
          b.parameter(p);
        }
      }
      prometheusAddress.ifPresent(a -> b.parameter("prometheus.address", a));
      RenderRequest request = b.build();
      RenderResult result = ManifestRenderer.detect(request.appDir()).render(request);
      return new DesiredState(commit.sha(), result.resources(), SourceType.of(result));
    }
  }

  /** The live Rollout and its templates, durations scaled, as a plan. */
  private CanaryPlan plan(KubeCluster cluster) {
    Resource rollout =
        cluster
            .get(ROLLOUT)
            .orElseThrow(() -> new IllegalStateException(ROLLOUT + " was not synced"));
    List<AnalysisTemplate> templates = new ArrayList<>();
    for (String name : List.of("success-rate", "latency-check")) {
      Resource t =
          cluster
              .get(new ResourceKey("argoproj.io", "AnalysisTemplate", NAMESPACE, name))
              .orElseThrow(() -> new IllegalStateException("AnalysisTemplate " + name));
      Resource scaled = scale.template(t);
      templates.add(AnalysisTemplate.fromTree(scaled.body(), name));
      for (JsonNode m : scaled.body().path("spec").path("metrics")) {
        thresholds.put(
            m.path("name").asString(),
            "success "
                + m.path("successCondition").asString()
                + ", failure "
                + m.path("failureCondition").asString());
      }
    }
    this.templates = List.copyOf(templates);
    return CanaryPlan.fromRollout(scale.rollout(rollout), templates);
  }

  /** The image tag of the plan's first container. */
  private static String tagOf(CanaryPlan plan) {
    String image =
        plan.podTemplate().path("spec").path("containers").path(0).path("image").asString();
    return image.substring(image.lastIndexOf(':') + 1);
  }

  private Rollout start(RolloutDriver driver, CanaryPlan plan, boolean canary) {
    if (canary) {
      canaryTag = tagOf(plan);
      say(
          "   plan: "
              + plan.steps().size()
              + " steps, background analysis "
              + plan.backgroundAnalysis()
                  .map(b -> b.analysis().templates() + " from step " + b.startingStep())
                  .orElse("none"));
    }
    recorder.canary(tagOf(plan), canary, templates);
    planSteps = plan.steps().size();
    return driver.start(plan);
  }

  private void onRolloutEvent(RolloutEvent e) {
    TrafficSimulator sim = traffic;
    switch (e.type()) {
      case WEIGHT_CHANGED -> {
        int w = e.weight();
        if (w == 0 && e.stepIndex() >= planSteps && !canaryTag.isEmpty()) {
          // every step done: the canary's pods are the stable ones now, and the canary Service's
          // weight goes back to 0 because the stable Service selects them
          stableTag = canaryTag;
          sim.route(STABLE, stableTag, 1.0);
          sim.route(CANARY, stableTag, 0.0);
          milestone(
              String.format(
                  Locale.ROOT,
                  "   step %d  promoted: %s is the new stable and serves 100%% of the traffic"
                      + " (canary weight %d%%)",
                  e.stepIndex(),
                  stableTag,
                  w));
          return;
        }
        String canary = canaryTag.isEmpty() ? stableTag : canaryTag;
        sim.route(STABLE, stableTag, (100 - w) / 100.0);
        sim.route(CANARY, canary, w / 100.0);
        if (w > 0 && realPrometheus) {
          // scrape lag: the canary's traffic shows in Prometheus one scrape after it starts;
          // an analysis measuring before that would see no rate at all (NaN)
          pause(SCRAPE.multipliedBy(3));
        }
        milestone(
            String.format(
                Locale.ROOT,
                "   step %d  weight %3d%%  traffic: %s %d%% (stable), %s %d%% (canary)",
                e.stepIndex(),
                w,
                stableTag,
                100 - w,
                canary,
                w));
      }
      case PROMOTED -> {
        stableTag = canaryTag;
        sim.route(STABLE, stableTag, 1.0);
        sim.route(CANARY, stableTag, 0.0);
        milestone("   step " + e.stepIndex() + "  PROMOTED: " + e.message());
      }
      case ABORTED -> {
        sim.route(STABLE, stableTag, 1.0);
        sim.route(CANARY, canaryTag, 0.0);
        milestone("   step " + e.stepIndex() + "  ABORTED: " + e.message());
      }
      case MEASUREMENT -> {
        String metric = e.metric().orElse("?");
        String value =
            e.measurement()
                .flatMap(m -> m.value())
                .map(v -> round(v.toString()))
                .orElse(e.measurement().map(m -> m.message()).orElse(""));
        String phase = e.measurement().map(m -> m.phase().toString()).orElse("");
        say(
            String.format(
                Locale.ROOT,
                "%s    measure %-13s = %-22s %-12s (%s)",
                elapsed(),
                metric,
                value,
                phase,
                thresholds.getOrDefault(metric, "")));
      }
      default -> say(elapsed() + "   step " + e.stepIndex() + "  " + e.type() + ": " + e.message());
    }
  }

  /** Prints each sync's resources, and tells {@code next} everything. */
  private ControllerListener syncPrinter(ControllerListener next) {
    return new ControllerListener() {
      @Override
      public void planned(String app, io.glidepath.core.sync.SyncPlan plan) {
        plannedDrift.clear();
        for (io.glidepath.core.sync.SyncStep step : plan.steps()) {
          plannedDrift.put(step.key(), step.status());
        }
        next.planned(app, plan);
      }

      @Override
      public void syncStarted(String app, String revision, SyncReason reason) {
        next.syncStarted(app, revision, reason);
      }

      @Override
      public void syncFinished(String name, SyncResult result) {
        printChanges(result);
        next.syncFinished(name, result);
      }

      @Override
      public void refused(
          String app, String revision, io.glidepath.core.project.ProjectViolationException v) {
        next.refused(app, revision, v);
      }

      @Override
      public void reconciled(AppStatus status) {
        next.reconciled(status);
      }
    };
  }

  /**
   * What a sync changed: one line per resource that was not already as Git says (created, updated,
   * pruned), per hook and per failure; the resources applied without a difference are counted.
   */
  private void printChanges(SyncResult result) {
    List<String> lines = new ArrayList<>();
    int unchanged = 0;
    for (ResourceResult r : result.resources()) {
      DriftStatus before = plannedDrift.getOrDefault(r.key(), DriftStatus.MISSING);
      boolean failed = r.code() == io.glidepath.kube.sync.ResultCode.SYNC_FAILED;
      String what;
      if (r.action() == io.glidepath.core.sync.SyncAction.HOOK) {
        what = "hook (" + r.phase().displayName() + ")";
      } else if (before == DriftStatus.SYNCED && !failed) {
        unchanged++;
        continue;
      } else {
        what =
            switch (before) {
              case MISSING -> "created";
              case EXTRANEOUS -> "pruned";
              default -> "updated";
            };
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "     %-12s %s%s",
              failed ? "FAILED" : what,
              r.key(),
              r.message().isEmpty() || !failed ? "" : ": " + r.message()));
    }
    say(
        "   sync: "
            + lines.size()
            + " changed"
            + (unchanged == 0 ? "" : ", " + unchanged + " already as in Git (applied, no change)"));
    lines.forEach(this::say);
  }

  /**
   * Says once what the orphaned resources in the app's namespace are: objects no application
   * tracks, which the production project asks to be warned about; then names only new ones.
   */
  private void explainOrphans(AppStatus status) {
    List<String> orphans =
        status.conditions().stream()
            .filter(c -> c.type() == AppCondition.Type.ORPHANED_RESOURCE_WARNING)
            .map(c -> c.message().replaceFirst(" is in a namespace of project .*$", ""))
            .filter(orphansShown::add)
            .toList();
    if (orphans.isEmpty()) {
      return;
    }
    if (orphansShown.size() == orphans.size()) {
      say(
          "   (orphaned resources: objects in namespace "
              + NAMESPACE
              + " that no application tracks; the production project asks to be warned about"
              + " them (orphanedResources.warn) and they are never pruned. Here they are the"
              + " RolloutDriver's own: a ReplicaSet per revision and its lease.)");
    }
    say("   orphaned: " + String.join(", ", orphans));
  }

  /** The subject of a {@code %h %s} log line. */
  private static String subject(String logLine) {
    int space = logLine.indexOf(' ');
    return space < 0 ? logLine : logLine.substring(space + 1);
  }

  /** A numbered chapter of the story: printed and recorded for the report. */
  private void chapter(String title) {
    recorder.chapter(title);
    milestone(title);
  }

  /** Waits until Prometheus holds the canary Service's series (a few scrapes after start). */
  private void awaitScraped(PrometheusServer prometheus) throws InterruptedException {
    String query = "count(http_requests_total{service=\"" + CANARY + "\"})";
    java.net.URI uri =
        prometheus
            .uri()
            .resolve(
                "api/v1/query?query="
                    + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8));
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    boolean seen =
        await(
            () -> {
              try {
                String body =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(uri).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                return body.contains("\"value\"");
              } catch (IOException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
              }
            },
            Duration.ofSeconds(15));
    say("   Prometheus " + (seen ? "scrapes the traffic" : "has NOT scraped the traffic yet"));
  }

  private static Optional<String> rollbackNotification(WebhookReceiver hooks, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      for (String m : hooks.messages()) {
        if (m.contains("\"event\":\"ABORTED\"")) {
          return Optional.of(m);
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return Optional.empty();
  }

  private static void pause(Duration d) {
    try {
      TimeUnit.MILLISECONDS.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String round(String value) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("-?[0-9]+\\.[0-9]{5,}(E-?[0-9]+)?").matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, String.format(Locale.ROOT, "%.4f", Double.parseDouble(m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static boolean await(BooleanSupplier done, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return done.getAsBoolean();
  }

  // ---------------------------------------------------------------- helpers

  private void printSummary(DemoOutcome o) {
    say("");
    say("Summary" + (o.realPrometheus() ? "" : " (analyses by the SYNTHETIC provider)"));
    say("  v2 (healthy)       " + (o.v2Promoted() ? "promoted to 100%" : "NOT promoted"));
    say("  v3 (8% errors)     " + (o.v3RolledBack() ? "rolled back" : "NOT rolled back"));
    say("  notification       " + (o.notification().isPresent() ? "received" : "NOT received"));
    say("  manual scale       " + (o.selfHealReverted() ? "reverted by selfHeal" : "NOT reverted"));
    o.backfillBranch().ifPresent(b -> say("  hotfix written to  " + b));
    o.report().ifPresent(r -> say("  HTML report        " + r.toAbsolutePath()));
    say("  total              " + elapsed().replace("[", "").replace("]", "").strip());
    say(o.exitCode() == 0 ? "Demo OK" : "Demo FAILED");
  }

  /**
   * Runs the demo: {@code [--time-scale N] [--report FILE]}; exits 0 only when v2 was promoted and
   * v3 rolled back.
   */
  public static void main(String[] args) {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      if ("--time-scale".equals(args[i]) && i + 1 < args.length) {
        b.timeScale(Double.parseDouble(args[++i]));
      } else if ("--report".equals(args[i]) && i + 1 < args.length) {
        b.report(Path.of(args[++i]));
      } else {
        throw new IllegalArgumentException(
            "unknown argument " + args[i] + "; usage: [--time-scale N] [--report FILE]");
      }
    }
    System.exit(b.build().run().exitCode());
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "glidepath-demo");
      t.setDaemon(true);
      return t;
    };
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  private String elapsed() {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    return String.format(Locale.ROOT, "[%3d.%ds]", ms / 1000, (ms % 1000) / 100);
  }

  private void milestone(String line) {
    timeline.add(elapsed() + " " + line);
    say(elapsed() + " " + line);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** Builds a {@link GitOpsDemo}. Not thread-safe. */
  public static final class Builder {
    private PrintStream out = System.out;
    private double timeScale = DEFAULT_TIME_SCALE;
    private boolean allowSynthetic = true;
    private Path report;
    private Path tempRoot;

    private Builder() {}

    /** Where the run's temporary directory is made (tests; default {@code java.io.tmpdir}). */
    Builder tempRoot(Path directory) {
      this.tempRoot = Objects.requireNonNull(directory, "tempRoot");
      return this;
    }

    /**
     * Where to write the HTML report (default: a new {@code glidepath-demo-report-*.html} file
     * under {@code java.io.tmpdir}).
     */
    public Builder report(Path report) {
      this.report = Objects.requireNonNull(report, "report");
      return this;
    }

    /** Where the story is printed (default System.out). */
    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** How many times faster than the example's real durations; must be >= 1. */
    public Builder timeScale(double timeScale) {
      TimeScale.of(timeScale);
      this.timeScale = timeScale;
      return this;
    }

    /**
     * Whether to fall back to the synthetic provider when Prometheus is not installed (default
     * true); false makes a missing Prometheus an error (CI).
     */
    public Builder allowSynthetic(boolean allowSynthetic) {
      this.allowSynthetic = allowSynthetic;
      return this;
    }

    public GitOpsDemo build() {
      return new GitOpsDemo(this);
    }
  }

  /** The example app's project, from the GitOps repository the demo imported. */
  private static ProjectSource projects(Path configs) {
    return ProjectSource.read(configs.resolve("projects/production.yaml"));
  }
}
