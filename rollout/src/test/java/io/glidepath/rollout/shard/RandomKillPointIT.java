package io.glidepath.rollout.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A replica killed at a random point: three replicas in this JVM, each a sharded {@link
 * RolloutDriver} with its own connection (User-Agent), scheduler and Lease, share canary rollouts
 * on one EmbeddedCluster in virtual time; at a second and a victim chosen by a seeded generator the
 * victim stops dead (its scheduler and its membership never run again, nothing is released), as
 * after {@code kill -9}. Every try must end as the run without a kill ends, with no step started
 * twice, no rollout past a failed analysis, the victim's rollouts taken over within the lease, one
 * renew round and one poll, and no write of a replica outside its claim in the request log. The
 * multi-process runs are {@link MultiProcessFailoverIT}.
 */
class RandomKillPointIT {
  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  private static final int ROLLOUTS = 4; // ro-0000 fails its analysis, the others promote
  private static final int APPS = 6;
  private static final int PAUSE_SECONDS = 10;
  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Duration RENEW = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final int MAX_SECONDS = 300;
  private static final List<String> REPLICAS = List.of("replica-a", "replica-b", "replica-c");

  /** What one run left behind. */
  private record Run(
      Map<String, RolloutPhase> phases,
      List<String[]> events, // {replica, rollout, type, step}
      List<RecordedCall> log,
      Set<String> victimHeld,
      Instant killedAt,
      int seconds,
      int eventsAtKill,
      String victim) {}

  private static final class Replica {
    final String id;
    final KubeCluster kube;
    final KubernetesClient client;
    final ReplicaMembership membership;
    final VirtualScheduler scheduler;
    final RolloutDriver driver;
    final ControllerManager manager;

    Replica(String id, EmbeddedCluster cluster, ManualClock world, List<String[]> events) {
      this.id = id;
      Config config = cluster.config();
      config.setUserAgent(id);
      config.setRequestRetryBackoffLimit(0);
      kube = KubeCluster.connect(config, RequestRetry.NONE);
      client = new KubernetesClientBuilder().withConfig(config).build();
      membership =
          ReplicaMembership.builder(kube, "default", Fleet.GROUP)
              .identity(id)
              .timing(LEASE, RENEW)
              .clock(world)
              .manualTicks()
              .start();
      scheduler = VirtualScheduler.at(world.instant());
      driver =
          RolloutDriver.builder(RolloutCluster.kubernetes(client))
              .providers(MetricProviders.of(Fleet.metrics()))
              .scheduler(scheduler)
              .leaseDuration(LEASE)
              .pollInterval(POLL)
              .listener(
                  new RolloutListener() {
                    @Override
                    public void onEvent(RolloutEvent e) {
                      events.add(
                          new String[] {
                            id, e.rollout(), e.type().name(), String.valueOf(e.stepIndex())
                          });
                    }
                  })
              .sharding(membership)
              .build();
      manager =
          ControllerManager.builder(kube)
              .sources(app -> () -> Fleet.desired(app))
              .feed(
                  ApplicationFeed.of(
                      IntStream.range(0, APPS)
                          .mapToObj(i -> Fleet.application(Fleet.app(i)))
                          .toList()))
              .workers(1)
              .resyncPeriod(Duration.ofHours(1))
              .statusNamespace("default")
              .listener(
                  new ControllerListener() {
                    @Override
                    public void reconciled(AppStatus status) {
                      events.add(new String[] {id, status.app(), "RECONCILED", "-1"});
                    }
                  })
              .sharding(membership)
              .build();
    }

    /** kill -9: every request from now on fails; nothing is released. */
    void kill() {
      client.close();
      kube.close();
    }

    void close(boolean release) {
      if (release) {
        manager.close();
        driver.close();
        membership.close();
        client.close();
        kube.close();
      } else {
        try {
          manager.close(); // its connection is gone: its releases fail, as a dead process's would
        } catch (IllegalStateException e) {
          // "Client is closed"
        }
      }
    }
  }

  /** Runs the fleet; kills replica {@code victim} before second {@code killAt} (< 0: no kill). */
  private static Run run(int killAt, int victim) {
    ManualClock world = ManualClock.at(T0);
    List<String[]> events = Collections.synchronizedList(new ArrayList<>());
    try (EmbeddedCluster cluster =
        EmbeddedCluster.builder().manualController().clock(world).start()) {
      KubernetesClient admin = cluster.client();
      admin
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(Fleet.APPS_NS)
                  .endMetadata()
                  .build())
          .create();
      RolloutCluster rc = RolloutCluster.kubernetes(admin);
      // revision 1, deployed by a driver that then goes away
      VirtualScheduler seedTime = VirtualScheduler.at(world.instant());
      try (RolloutDriver seed =
          RolloutDriver.builder(rc)
              .providers(MetricProviders.of(Fleet.metrics()))
              .scheduler(seedTime)
              .identity("seed")
              .leaseDuration(LEASE)
              .pollInterval(POLL)
              .build()) {
        for (int i = 0; i < ROLLOUTS; i++) {
          seed.start(Fleet.plan(Fleet.rollout(i), "1", PAUSE_SECONDS));
        }
        for (int s = 0; s < 30 && !allPromoted(rc); s++) {
          cluster.reconcile();
          world.advance(Duration.ofSeconds(1));
          seedTime.advance(Duration.ofSeconds(1));
        }
        assertThat(allPromoted(rc)).as("revision 1 deployed").isTrue();
      }
      world.advance(LEASE); // the seed driver's rollout leases lapse
      List<Replica> replicas = new ArrayList<>();
      for (String id : REPLICAS) {
        replicas.add(new Replica(id, cluster, world, events));
      }
      replicas.forEach(r -> r.membership.tick());
      replicas.forEach(r -> r.membership.tick());
      cluster.clearRequests();
      replicas.forEach(r -> r.manager.start());
      for (Replica r : replicas) {
        for (int i = 0; i < ROLLOUTS; i++) {
          r.driver.offer(Fleet.plan(Fleet.rollout(i), "2", PAUSE_SECONDS));
        }
      }
      Replica dead = null;
      Instant killedAt = null;
      Set<String> victimHeld = Set.of();
      int eventsAtKill = 0;
      int s = 0;
      for (;
          s < MAX_SECONDS
              && (!allEnded(rc) || (dead != null && s < killAt + LEASE.toSeconds() * 2));
          s++) {
        if (s == killAt) {
          // the victim-th of the replicas that hold items (all three when none does yet)
          List<String> holding = new ArrayList<>();
          for (String id : REPLICAS) {
            if (!held(cluster.requests(), id).isEmpty()) {
              holding.add(id);
            }
          }
          List<String> candidates = holding.isEmpty() ? REPLICAS : holding;
          dead = replicas.get(REPLICAS.indexOf(candidates.get(victim % candidates.size())));
          killedAt = world.instant();
          victimHeld = held(cluster.requests(), dead.id);
          eventsAtKill = events.size();
          dead.kill();
        }
        cluster.reconcile();
        world.advance(Duration.ofSeconds(1));
        for (Replica r : replicas) {
          if (r != dead) {
            r.scheduler.advance(Duration.ofSeconds(1));
          }
        }
        if (s % RENEW.toSeconds() == 0) {
          for (Replica r : replicas) {
            if (r != dead) {
              r.membership.tick();
            }
          }
        }
        for (Replica r : replicas) {
          // what a membership's own timer does between rounds: judge again once a lease ran out
          // (here at the next whole second; a recheck asks the API server nothing)
          if (r != dead) {
            r.membership.recheck();
          }
        }
      }
      Map<String, RolloutPhase> phases = new TreeMap<>();
      for (int i = 0; i < ROLLOUTS; i++) {
        phases.put(
            Fleet.rollout(i),
            rc.loadStatus(Fleet.ROLLOUT_NS, Fleet.rollout(i))
                .map(RolloutStatus::phase)
                .orElse(null));
      }
      // the managers' workers reconcile on real threads in real time: every app, and the apps
      // the survivors took over, once more after the kill
      String gone = dead == null ? "" : dead.id;
      Set<String> taken =
          dead == null
              ? Set.of()
              : victimHeld.stream().filter(i -> i.startsWith("app-")).collect(Collectors.toSet());
      int from = eventsAtKill;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!(reconciledBySurvivors(events, from, gone).containsAll(taken)
              && reconciledBySurvivors(events, 0, "").size() == APPS)
          && System.nanoTime() < deadline) {
        sleep(20);
      }
      List<RecordedCall> log = cluster.requests();
      for (Replica r : replicas) {
        r.close(r != dead);
      }
      return new Run(
          phases,
          List.copyOf(events),
          log,
          victimHeld,
          killedAt,
          s,
          eventsAtKill,
          dead == null ? "" : dead.id);
    }
  }

  private static Set<String> reconciledBySurvivors(List<String[]> events, int from, String dead) {
    Set<String> out = new java.util.HashSet<>();
    List<String[]> after;
    synchronized (events) {
      after = List.copyOf(events.subList(from, events.size()));
    }
    for (String[] e : after) {
      if (e[2].equals("RECONCILED") && !e[0].equals(dead)) {
        out.add(e[1]);
      }
    }
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> held(List<RecordedCall> log, String replica) {
    return ClaimLog.read(log, Set.copyOf(REPLICAS)).holders().entrySet().stream()
        .filter(e -> e.getValue().equals(replica))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private static boolean allPromoted(RolloutCluster rc) {
    for (int i = 0; i < ROLLOUTS; i++) {
      if (!rc.loadStatus(Fleet.ROLLOUT_NS, Fleet.rollout(i))
          .map(RolloutStatus::isPromoted)
          .orElse(false)) {
        return false;
      }
    }
    return true;
  }

  private static boolean allEnded(RolloutCluster rc) {
    for (int i = 0; i < ROLLOUTS; i++) {
      Optional<RolloutStatus> s = rc.loadStatus(Fleet.ROLLOUT_NS, Fleet.rollout(i));
      if (!s.map(st -> st.phase() == RolloutPhase.DEGRADED || st.isPromoted()).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /** Tries whose victim held rollouts when it died. */
  private static final java.util.concurrent.atomic.AtomicInteger killsWithRollouts =
      new java.util.concurrent.atomic.AtomicInteger();

  private static void check(Run run, Run reference, int killAt, int victim) {
    String what = "kill of " + run.victim() + " (choice " + victim + ") before second " + killAt;
    assertThat(run.phases()).as("end states after the %s", what).isEqualTo(reference.phases());
    Map<String, List<Integer>> steps = new HashMap<>();
    for (String[] e : run.events()) {
      if (e[2].equals("STEP_STARTED")) {
        steps.computeIfAbsent(e[1], k -> new ArrayList<>()).add(Integer.parseInt(e[3]));
      }
      if (Fleet.failsAnalysis(e[1])) {
        assertThat(e[2]).as("%s after the %s", e[1], what).isNotEqualTo("PROMOTED");
      }
    }
    steps.forEach(
        (rollout, started) -> {
          assertThat(started)
              .as("steps started of %s after the %s", rollout, what)
              .doesNotHaveDuplicates();
          if (Fleet.failsAnalysis(rollout)) {
            assertThat(started).allMatch(i -> i <= Fleet.ANALYSIS_STEP);
          }
        });
    assertThat(reconciledBySurvivors(run.events(), 0, ""))
        .as("apps reconciled after the %s", what)
        .hasSize(APPS);
    ClaimLog claims = ClaimLog.read(run.log(), Set.copyOf(REPLICAS));
    assertThat(claims.violations()).as("writes outside claims after the %s", what).isEmpty();
    if (run.killedAt() != null) {
      String dead = run.victim();
      long rollouts = run.victimHeld().stream().filter(i -> i.startsWith("ro-")).count();
      if (rollouts > 0 && killAt < reference.seconds()) {
        killsWithRollouts.incrementAndGet();
      }
      System.out.printf(
          "%s at second %d: it held %d rollouts and %d apps; all ended at second %d%n",
          what, killAt, rollouts, run.victimHeld().size() - rollouts, run.seconds());
      // a write sent just before the kill may still arrive after it: the claim log shows that
      // none arrived once another replica had claimed the item
      for (String item : run.victimHeld()) {
        Optional<Instant> takeover =
            claims.claims().stream()
                .filter(c -> c.item().equals(item) && !c.replica().equals(dead))
                .filter(c -> c.at().isAfter(run.killedAt()))
                .map(ClaimLog.Claim::at)
                .findFirst();
        assertThat(takeover).as("%s taken over after the %s", item, what).isPresent();
        if (item.startsWith("app-")) {
          assertThat(reconciledBySurvivors(run.events(), run.eventsAtKill(), dead))
              .as("apps reconciled by the others after the %s", what)
              .contains(item);
        }
        assertThat(Duration.between(run.killedAt(), takeover.get()))
            .isLessThanOrEqualTo(LEASE.plus(RENEW).plus(POLL));
      }
    }
  }

  @Test
  void aReplicaKilledAtARandomPointLeavesEveryRolloutAsWithoutTheKill() {
    Run reference = run(-1, 0);
    Map<String, RolloutPhase> expected = new TreeMap<>();
    reference.phases().keySet().forEach(r -> expected.put(r, Fleet.expectedPhase(r)));
    assertThat(reference.phases()).isEqualTo(expected);
    check(reference, reference, -1, 0);
    int lastSecond = reference.seconds();
    qt().withExamples(50)
        .withFixedSeed(23L)
        .withShrinkCycles(0)
        .forAll(
            integers().between(0, Math.max(0, lastSecond - 2)),
            integers().between(0, REPLICAS.size() - 1))
        .checkAssert((killAt, victim) -> check(run(killAt, victim), reference, killAt, victim));
    // most kill points fall while the victim runs canaries (the others: after every rollout ended)
    assertThat(killsWithRollouts.get()).isGreaterThanOrEqualTo(30);
  }
}
