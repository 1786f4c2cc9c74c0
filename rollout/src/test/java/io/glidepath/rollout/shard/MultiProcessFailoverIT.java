package io.glidepath.rollout.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three replica JVMs ({@link ReplicaProcess}) share apps and canary rollouts over Leases on one
 * EmbeddedCluster served over HTTP by this JVM; one replica is killed with SIGKILL mid-canary, or
 * cut off from the API server by fault injection and healed later. Its items are taken over within
 * the lease duration plus one renew round plus one reconcile, every rollout ends as its metrics say
 * (the analysis of every fifth fails: Degraded; the others Healthy: the end state of a run without
 * failures), no step starts twice, no rollout whose analysis failed gets past it, and the request
 * log shows no write of a replica to an item outside its claim.
 *
 * <p>Size: by default 60 apps and 30 rollouts (CI, 2 cores); {@code -Dglidepath.scaleout.full=true}
 * runs the issue's 300 apps and 100 rollouts.
 */
class MultiProcessFailoverIT {
  private static final boolean FULL = Boolean.getBoolean("glidepath.scaleout.full");
  private static final int APPS = FULL ? 300 : 60;
  private static final int ROLLOUTS = FULL ? 100 : 30;
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration RENEW = Duration.ofSeconds(1);
  private static final int PAUSE_SECONDS = 6;

  /**
   * What "one reconcile" may take on a loaded CI machine (2 cores, four JVMs) after the takeover:
   * the new owner starts the item and sends its first request for it.
   */
  private static final Duration ONE_RECONCILE = Duration.ofSeconds(4);

  private static final List<String> REPLICAS = List.of("replica-a", "replica-b", "replica-c");

  /** The replica that runs the most rollouts: the one whose death moves the most canaries. */
  private static final String VICTIM =
      REPLICAS.stream()
          .max(
              Comparator.comparingLong(
                  (String r) ->
                      IntStream.range(0, ROLLOUTS)
                          .filter(
                              i ->
                                  ShardAssignment.rendezvous()
                                      .owner(
                                          "rollout/" + Fleet.ROLLOUT_NS + "/" + Fleet.rollout(i),
                                          REPLICAS)
                                      .orElseThrow()
                                      .equals(r))
                          .count()))
          .orElseThrow();

  private EmbeddedCluster cluster;
  private KubernetesClient client;
  private ReplicaProcesses replicas;

  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo test) throws Exception {
    cluster = EmbeddedCluster.start();
    client = cluster.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(Fleet.APPS_NS).endMetadata().build())
        .create();
    seedStableRevisions();
    replicas = new ReplicaProcesses(test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.clearFaults();
    writeRequestLog();
    if (replicas != null) {
      replicas.close();
    }
    cluster.close();
  }

  /**
   * The request log, one call a line (time, User-Agent, verb, status, kind, namespace/name), to
   * requests.log beside the replicas' output (target/replicas/TEST), for a failure's story.
   */
  private void writeRequestLog() throws java.io.IOException {
    if (replicas == null) {
      return;
    }
    java.io.File file = new java.io.File(replicas.dir(), "requests.log");
    try (java.io.PrintWriter w =
        new java.io.PrintWriter(
            new java.io.FileWriter(file, java.nio.charset.StandardCharsets.UTF_8))) {
      for (RecordedCall c : cluster.requests()) {
        w.println(
            c.time()
                + " "
                + (c.userAgent().isEmpty() ? "-" : c.userAgent().split(" ")[0])
                + " "
                + c.verb()
                + " "
                + c.status()
                + " "
                + c.kind()
                + " "
                + c.namespace()
                + "/"
                + c.objectName());
      }
    }
  }

  /** Revision 1 of every rollout, deployed (a first deployment is promoted at once). */
  private void seedStableRevisions() throws Exception {
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    RolloutCluster rc = RolloutCluster.kubernetes(client);
    try (RolloutDriver seed =
        RolloutDriver.builder(rc)
            .providers(MetricProviders.of(Fleet.metrics()))
            .scheduler(AnalysisScheduler.of(executor, Clock.systemUTC()))
            .identity("seed")
            .leaseDuration(LEASE)
            .pollInterval(Duration.ofMillis(200))
            .build()) {
      for (int i = 0; i < ROLLOUTS; i++) {
        seed.start(Fleet.plan(Fleet.rollout(i), "1", PAUSE_SECONDS));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!IntStream.range(0, ROLLOUTS)
          .allMatch(
              i ->
                  rc.loadStatus(Fleet.ROLLOUT_NS, Fleet.rollout(i))
                      .map(RolloutStatus::isPromoted)
                      .orElse(false))) {
        assertThat(System.nanoTime()).as("revision 1 deployed").isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  private void startReplicas() throws Exception {
    for (String r : REPLICAS) {
      replicas.start(
          cluster.url(),
          r,
          APPS,
          ROLLOUTS,
          LEASE.toMillis(),
          RENEW.toMillis(),
          PAUSE_SECONDS,
          REPLICAS.size());
    }
    assertThat(
            replicas.await(
                () -> replicas.lines(l -> l.what().startsWith("READY")).size() == REPLICAS.size(),
                Duration.ofSeconds(120)))
        .as("the replicas started")
        .isTrue();
  }

  /**
   * Every app reconciled in sync, at least half the rollouts in their canary's first pause (step 1)
   * or beyond, and at least one of the victim's rollouts past step 0 with steps left to run: the
   * kill or partition then falls in the middle of canaries, the victim's included.
   */
  private void awaitMidCanary() throws Exception {
    assertThat(
            replicas.await(
                () ->
                    reconciledApps().size() == APPS
                        && stepsStarted().values().stream().filter(s -> s.contains(1)).count()
                            >= ROLLOUTS / 2
                        && heldBy(cluster.requests(), VICTIM, Instant.now())
                            .containsAll(share(VICTIM))
                        && !midCanary(share(VICTIM)).isEmpty(),
                FULL ? Duration.ofMinutes(5) : Duration.ofSeconds(120)))
        .as(
            "apps reconciled (%s of %s) and rollouts in their canary (%s of %s's)",
            reconciledApps().size(), APPS, midCanary(share(VICTIM)), VICTIM)
        .isTrue();
  }

  /** The rollouts among {@code items} whose canary is past step 0 and has steps left to run. */
  private Set<String> midCanary(Set<String> items) {
    RolloutCluster rc = RolloutCluster.kubernetes(client);
    Set<String> out = new TreeSet<>();
    for (String item : items) {
      if (item.startsWith("ro-")) {
        rc.loadStatus(Fleet.ROLLOUT_NS, item)
            .filter(
                st ->
                    st.stepIndex() >= 1 && st.phase() != RolloutPhase.DEGRADED && !st.isPromoted())
            .ifPresent(st -> out.add(item));
      }
    }
    return out;
  }

  /** The items rendezvous hashing gives {@code replica} while all three are live. */
  private static Set<String> share(String replica) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < APPS; i++) {
      if (ShardAssignment.rendezvous()
          .owner(Fleet.app(i), REPLICAS)
          .orElseThrow()
          .equals(replica)) {
        out.add(Fleet.app(i));
      }
    }
    for (int i = 0; i < ROLLOUTS; i++) {
      String item = "rollout/" + Fleet.ROLLOUT_NS + "/" + Fleet.rollout(i);
      if (ShardAssignment.rendezvous().owner(item, REPLICAS).orElseThrow().equals(replica)) {
        out.add(Fleet.rollout(i));
      }
    }
    return out;
  }

  private Set<String> reconciledApps() {
    return replicas.lines(l -> l.what().startsWith("RECONCILED ")).stream()
        .filter(l -> l.words()[2].equals("true"))
        .map(l -> l.words()[1])
        .collect(Collectors.toSet());
  }

  /** Per rollout, the step indexes started, from every replica's events (a list: repeats kept). */
  private Map<String, List<Integer>> stepsStarted() {
    Map<String, List<Integer>> steps = new TreeMap<>();
    for (ReplicaProcesses.Line l : replicas.lines(l -> l.what().startsWith("ROLLOUT "))) {
      String[] w = l.words();
      if (w[2].equals("STEP_STARTED")) {
        steps.computeIfAbsent(w[1], k -> new ArrayList<>()).add(Integer.parseInt(w[3]));
      }
    }
    return steps;
  }

  private Map<String, Optional<RolloutStatus>> statuses() {
    RolloutCluster rc = RolloutCluster.kubernetes(client);
    Map<String, Optional<RolloutStatus>> out = new TreeMap<>();
    for (int i = 0; i < ROLLOUTS; i++) {
      out.put(Fleet.rollout(i), rc.loadStatus(Fleet.ROLLOUT_NS, Fleet.rollout(i)));
    }
    return out;
  }

  private boolean allTerminal() {
    return statuses().values().stream()
        .allMatch(
            s -> s.map(st -> st.phase() == RolloutPhase.DEGRADED || st.isPromoted()).orElse(false));
  }

  /** Every rollout ended as its metrics say, no step started twice, no failed analysis passed. */
  private void assertRolloutsEndedAsWithoutFailures() throws Exception {
    assertThat(
            replicas.await(
                this::allTerminal, FULL ? Duration.ofMinutes(5) : Duration.ofSeconds(90)))
        .as("every rollout ended: %s", statuses())
        .isTrue();
    Map<String, RolloutPhase> phases = new TreeMap<>();
    Map<String, RolloutPhase> expected = new TreeMap<>();
    statuses().forEach((name, s) -> phases.put(name, s.orElseThrow().phase()));
    statuses().keySet().forEach(name -> expected.put(name, Fleet.expectedPhase(name)));
    assertThat(phases).isEqualTo(expected);
    Map<String, List<Integer>> steps = stepsStarted();
    steps.forEach(
        (rollout, started) ->
            assertThat(started)
                .as("steps started of %s, by every replica", rollout)
                .doesNotHaveDuplicates());
    for (String rollout : expected.keySet()) {
      if (Fleet.failsAnalysis(rollout)) {
        assertThat(steps.getOrDefault(rollout, List.of()))
            .as("%s failed its analysis: no step after it", rollout)
            .allMatch(i -> i <= Fleet.ANALYSIS_STEP);
        assertThat(replicas.lines(l -> l.what().startsWith("ROLLOUT " + rollout + " PROMOTED")))
            .isEmpty();
      }
    }
  }

  /** Prints who held what when the victim went, and which of its rollouts were mid-canary. */
  private void describe(Set<String> lost, Instant at) {
    Map<String, Long> perReplica =
        ClaimLog.read(
                cluster.requests().stream().filter(c -> !c.time().isAfter(at)).toList(),
                Set.copyOf(REPLICAS))
            .holders()
            .values()
            .stream()
            .collect(
                Collectors.groupingBy(
                    h -> h.isEmpty() ? "(released)" : h, TreeMap::new, Collectors.counting()));
    Map<String, String> rollouts = new TreeMap<>();
    statuses()
        .forEach(
            (name, st) -> {
              if (lost.contains(name)) {
                rollouts.put(name, st.map(x -> x.phase() + "@" + x.stepIndex()).orElse("-"));
              }
            });
    System.out.printf(
        "%s went holding %d items; claims held then: %s; its rollouts: %s%n",
        VICTIM, lost.size(), perReplica, rollouts);
  }

  /** The items {@code replica} held when the log was cut at {@code at}. */
  private static Set<String> heldBy(List<RecordedCall> log, String replica, Instant at) {
    List<RecordedCall> before = log.stream().filter(c -> !c.time().isAfter(at)).toList();
    return ClaimLog.read(before, Set.copyOf(REPLICAS)).holders().entrySet().stream()
        .filter(e -> e.getValue().equals(replica))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  /**
   * Each of {@code lost} was claimed by another replica after {@code from}, within the lease, one
   * renew round and one reconcile; returns the slowest takeover.
   */
  private static Duration assertTakenOver(
      List<RecordedCall> log, Set<String> lost, String from, Instant since) {
    Map<String, Instant> takeover = new HashMap<>();
    for (ClaimLog.Claim c : ClaimLog.read(log, Set.copyOf(REPLICAS)).claims()) {
      if (lost.contains(c.item()) && !c.replica().equals(from) && c.at().isAfter(since)) {
        takeover.putIfAbsent(c.item(), c.at());
      }
    }
    assertThat(takeover.keySet()).as("items of %s taken over", from).isEqualTo(lost);
    Duration slowest =
        takeover.values().stream()
            .map(t -> Duration.between(since, t))
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    System.out.printf(
        "%d items of %s taken over, the last %d ms after it went%n",
        lost.size(), from, slowest.toMillis());
    assertThat(slowest).isLessThanOrEqualTo(LEASE.plus(RENEW).plus(ONE_RECONCILE));
    return slowest;
  }

  /** Each app of {@code lost} was reconciled by another replica after {@code since}, in time. */
  private void assertAppsReconciledByOthers(Set<String> lost, String from, Instant since) {
    Map<String, Long> first = new HashMap<>();
    for (ReplicaProcesses.Line l : replicas.lines(l -> l.what().startsWith("RECONCILED "))) {
      String app = l.words()[1];
      if (lost.contains(app) && !l.replica().equals(from) && l.at() > since.toEpochMilli()) {
        first.merge(app, l.at(), Math::min);
      }
    }
    Set<String> apps = lost.stream().filter(i -> i.startsWith("app-")).collect(Collectors.toSet());
    assertThat(first.keySet()).as("apps of %s reconciled by others", from).isEqualTo(apps);
    long slowest = first.values().stream().mapToLong(t -> t - since.toEpochMilli()).max().orElse(0);
    System.out.printf(
        "%d apps of %s reconciled by others, the last after %d ms%n", apps.size(), from, slowest);
    assertThat(Duration.ofMillis(slowest))
        .isLessThanOrEqualTo(LEASE.plus(RENEW).plus(ONE_RECONCILE));
  }

  @Test
  void aReplicaKilledMidCanaryIsTakenOverAndEveryRolloutEndsAsWithoutTheKill() throws Exception {
    startReplicas();
    awaitMidCanary();
    Instant killed = Instant.now();
    replicas.kill(VICTIM);
    Set<String> lost = heldBy(cluster.requests(), VICTIM, killed);
    describe(lost, killed);
    assertThat(midCanary(lost))
        .as("%s's rollouts in their canary when it died", VICTIM)
        .isNotEmpty();

    assertRolloutsEndedAsWithoutFailures();
    List<RecordedCall> log = cluster.requests();
    assertTakenOver(log, lost, VICTIM, killed);
    assertAppsReconciledByOthers(lost, VICTIM, killed);
    assertThat(ClaimLog.read(log, Set.copyOf(REPLICAS)).violations())
        .as("writes outside the writer's claim")
        .isEmpty();
    // a write the victim sent just before it died may still arrive after the kill: the claim log
    // above shows that none arrived once another replica had claimed the item
  }

  @Test
  void aPartitionedReplicaStopsWritingItsItemsAreTakenOverAndItWritesNothingItLostAfterHealing()
      throws Exception {
    startReplicas();
    awaitMidCanary();
    Instant cut = Instant.now();
    // the victim's requests are not performed and time out (a network partition)
    cluster.inject(Fault.timeout(Duration.ofMillis(300)).fromUserAgents(VICTIM));
    Set<String> lost = heldBy(cluster.requests(), VICTIM, cut);
    describe(lost, cut);
    assertThat(midCanary(lost))
        .as("%s's rollouts in their canary when cut off", VICTIM)
        .isNotEmpty();
    Thread.sleep(LEASE.plus(RENEW).plus(ONE_RECONCILE).toMillis());
    assertTakenOver(cluster.requests(), lost, VICTIM, cut);

    Instant healed = Instant.now();
    cluster.clearFaults(); // it comes back: it rejoins, and its items move back to it
    assertRolloutsEndedAsWithoutFailures();
    assertThat(
            replicas.await(
                () ->
                    ClaimLog.read(cluster.requests(), Set.copyOf(REPLICAS)).claims().stream()
                        .anyMatch(c -> c.replica().equals(VICTIM) && c.at().isAfter(healed)),
                Duration.ofSeconds(30)))
        .as("the healed replica claims items again")
        .isTrue();
    List<RecordedCall> log = cluster.requests();
    assertThat(ClaimLog.read(log, Set.copyOf(REPLICAS)).violations())
        .as("writes outside the writer's claim (the healed replica included)")
        .isEmpty();
    assertThat(
            log.stream()
                .filter(c -> c.successfulWrite() && c.userAgent().equals(VICTIM))
                .filter(c -> c.time().isAfter(cut) && c.time().isBefore(healed)))
        .as("writes of the partitioned replica that got through")
        .isEmpty();
    Set<String> heldAfter = new HashSet<>(heldBy(log, VICTIM, Instant.now()));
    System.out.printf("after healing %s holds %d items again%n", VICTIM, heldAfter.size());
  }
}
