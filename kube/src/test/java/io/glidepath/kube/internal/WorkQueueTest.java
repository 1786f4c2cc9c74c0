package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private static WorkQueue queue(int workers) {
    return new WorkQueue("test", workers, HOUR, 0.2, new SplittableRandom(1));
  }

  @Test
  void requestsForAnAppAlreadyQueuedJoinIt() throws Exception {
    try (WorkQueue q = queue(1)) {
      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      ReconcileLoop blocker = q.loop();
      blocker.start(
          periodic -> {
            blocking.countDown();
            await(hold);
          });
      assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
      AtomicInteger runs = new AtomicInteger();
      ReconcileLoop app = q.loop();
      app.start(periodic -> runs.incrementAndGet()); // queued behind the blocker
      for (int i = 0; i < 100; i++) {
        app.refresh();
      }
      hold.countDown();
      awaitIdle(q);
      // the first (periodic) request and the 100 refreshes made one reconcile
      assertThat(runs.get()).isEqualTo(1);
    }
  }

  @Test
  void anAppIsNeverReconciledTwiceAtOnceAndARequestDuringARunRunsOnceMore() throws Exception {
    try (WorkQueue q = queue(4)) {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger overlap = new AtomicInteger();
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch firstStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ReconcileLoop app = q.loop();
      app.start(
          periodic -> {
            if (inside.incrementAndGet() > 1) {
              overlap.incrementAndGet();
            }
            if (runs.incrementAndGet() == 1) {
              firstStarted.countDown();
              await(release);
            }
            inside.decrementAndGet();
          });
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 50; i++) {
        app.refresh(); // while it runs: one more run afterwards, on any worker
      }
      release.countDown();
      awaitIdle(q);
      assertThat(overlap.get()).isZero();
      assertThat(runs.get()).isEqualTo(2);
    }
  }

  @Test
  void changesAreServedBeforePeriodicResyncs() throws Exception {
    try (WorkQueue q = queue(1)) {
      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      q.loop()
          .start(
              periodic -> {
                blocking.countDown();
                await(hold);
              });
      assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
      List<String> order = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 5; i++) {
        String name = "resync-" + i;
        q.loop().start(periodic -> order.add(name + (periodic ? "" : "!"))); // first: periodic
      }
      ReconcileLoop changed = q.loop();
      changed.start(periodic -> order.add(periodic ? "changed-first" : "changed"));
      awaitQueued(q, 6);
      // a change jumps ahead of the resyncs queued before it (joined with its own first request,
      // it runs as that periodic one: once)
      changed.refresh();
      hold.countDown();
      awaitIdle(q);
      assertThat(order)
          .containsExactly(
              "changed-first", "resync-0", "resync-1", "resync-2", "resync-3", "resync-4");
    }
  }

  @Test
  void aStoppedAppIsNotReconciledAndStopWaitsForTheRunInFlight() throws Exception {
    try (WorkQueue q = queue(2)) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger finished = new AtomicInteger();
      AtomicInteger runs = new AtomicInteger();
      ReconcileLoop app = q.loop();
      app.start(
          periodic -> {
            runs.incrementAndGet();
            started.countDown();
            await(release);
            finished.incrementAndGet();
          });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      app.refresh(); // asked for during the run: dropped by the stop
      Thread stopper = new Thread(app::stop);
      stopper.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (stopper.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
        sleep(5);
      }
      assertThat(stopper.isAlive()).as("stop waits for the run in flight").isTrue();
      release.countDown();
      stopper.join(10_000);
      assertThat(stopper.isAlive()).isFalse();
      assertThat(finished.get()).isEqualTo(1);
      app.refresh();
      assertThat(app.refreshAfter(Duration.ofMillis(1))).isFalse();
      sleep(200);
      assertThat(runs.get()).isEqualTo(1);
    }
  }

  @Test
  void threadsDoNotGrowWithApps() throws Exception {
    try (WorkQueue q = queue(3)) {
      AtomicInteger runs = new AtomicInteger();
      for (int i = 0; i < 2_000; i++) {
        q.loop().start(periodic -> runs.incrementAndGet());
      }
      awaitIdle(q);
      assertThat(runs.get()).isEqualTo(2_000);
      assertThat(
              Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.getName().startsWith("test-")))
          .hasSize(4); // three workers and the timer
    }
  }

  private static void awaitQueued(WorkQueue q, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (q.queued() < n && System.nanoTime() < deadline) {
      sleep(5);
    }
  }

  private static void awaitIdle(WorkQueue q) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long before = -1;
    while (System.nanoTime() < deadline) {
      long now = q.reconciles();
      if (q.queued() == 0 && now == before) {
        return;
      }
      before = now;
      sleep(50);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
