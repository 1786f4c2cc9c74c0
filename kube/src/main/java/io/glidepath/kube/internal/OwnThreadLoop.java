package io.glidepath.kube.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link ReconcileLoop} on one thread of its own: a controller started by itself. */
final class OwnThreadLoop implements ReconcileLoop {
  private final String name;
  private final Duration resyncPeriod;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile ScheduledExecutorService loop;
  private volatile Thread thread;
  private volatile Target target;

  OwnThreadLoop(String name, Duration resyncPeriod) {
    this.name = name;
    this.resyncPeriod = resyncPeriod;
  }

  @Override
  public synchronized void start(Target t) {
    if (loop != null) {
      return;
    }
    target = t;
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "glidepath-controller-" + name);
              th.setDaemon(true);
              thread = th;
              return th;
            });
    loop.scheduleWithFixedDelay(() -> run(true), 0, resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run(boolean periodic) {
    if (!periodic) {
      pending.set(false);
    }
    try {
      target.reconcile(periodic);
    } catch (RuntimeException | StackOverflowError e) {
      // the loop must survive (an uncaught error would cancel the periodic resync for good); the
      // next resync tries again
    }
  }

  @Override
  public void refresh() {
    ScheduledExecutorService l = loop;
    if (l != null && pending.compareAndSet(false, true)) {
      try {
        l.execute(() -> run(false));
      } catch (RejectedExecutionException stopped) {
        pending.set(false);
      }
    }
  }

  @Override
  public boolean refreshAfter(Duration delay) {
    ScheduledExecutorService l = loop;
    if (l == null) {
      return false;
    }
    try {
      l.schedule(() -> run(false), delay.toMillis() + 1, TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException stopped) {
      return false;
    }
  }

  @Override
  public boolean onLoopThread() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void stop() {
    ScheduledExecutorService l;
    synchronized (this) {
      l = loop;
      loop = null;
    }
    if (l == null) {
      return;
    }
    if (onLoopThread()) {
      // stopping itself (the app was deleted): this reconcile is the last, nothing to wait for
      l.shutdownNow();
      Thread.interrupted(); // shutdownNow interrupted this very thread
      return;
    }
    l.shutdownNow();
    try {
      // let a reconcile in flight finish its current request, so no call is left half done
      l.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
