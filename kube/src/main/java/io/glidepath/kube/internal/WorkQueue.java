package io.glidepath.kube.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Shared workers for many controllers, like Argo CD's status and operation processors: a fixed
 * number of threads take apps from a queue that holds each app at most once (a request for an app
 * already queued joins it; one for an app being reconciled runs once more after it), so no app is
 * reconciled by two workers at once and a busy app cannot take more than its turn. Requests caused
 * by a change (a commit, a live change, a spec edit) are served before periodic resyncs, in the
 * order they came; resyncs are spread over the period with jitter rather than run as one wave. One
 * timer thread holds delayed requests. Threads: {@code workers + 1}, whatever the number of apps.
 *
 * <p>Thread-safe.
 */
final class WorkQueue implements AutoCloseable {
  private final Object lock = new Object();
  private final ArrayDeque<Entry> urgent = new ArrayDeque<>();
  private final ArrayDeque<Entry> periodic = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ScheduledThreadPoolExecutor timer;
  private final Duration resyncPeriod;
  private final double jitter;
  private final RandomGenerator random;
  private final AtomicLong reconciles = new AtomicLong();
  private boolean closed;

  WorkQueue(
      String name, int workers, Duration resyncPeriod, double jitter, RandomGenerator random) {
    this.resyncPeriod = resyncPeriod;
    this.jitter = jitter;
    this.random = random;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name + "-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, name + "-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** A new app's place in the queue (not started). */
  ReconcileLoop loop() {
    return new Entry();
  }

  /** How many apps wait for a worker now. */
  int queued() {
    synchronized (lock) {
      return urgent.size() + periodic.size();
    }
  }

  /** Reconciles run so far. */
  long reconciles() {
    return reconciles.get();
  }

  /** How many worker threads there are. */
  int workers() {
    return threads.size();
  }

  private void work() {
    while (true) {
      Entry e;
      boolean isPeriodic;
      synchronized (lock) {
        while (true) {
          if (closed) {
            return;
          }
          e = urgent.pollFirst();
          if (e != null) {
            e.inUrgent = false;
          } else {
            e = periodic.pollFirst();
            if (e != null) {
              e.inPeriodic = false;
            }
          }
          if (e == null) {
            try {
              lock.wait();
            } catch (InterruptedException ie) {
              return;
            }
            continue;
          }
          if (e.stopped || !e.dirty || e.running != null) {
            continue; // a stale place: stopped, or already taken from the other queue
          }
          break;
        }
        e.running = Thread.currentThread();
        isPeriodic = e.wantPeriodic;
        e.dirty = false;
        e.wantPeriodic = false;
        e.wantUrgent = false;
      }
      try {
        e.target.reconcile(isPeriodic);
      } catch (RuntimeException | StackOverflowError ex) {
        // a worker must survive (the app's own reconcile already turned the failure into a
        // ComparisonError); the app's next request tries again
      } finally {
        reconciles.incrementAndGet();
        Thread.interrupted(); // a stop from within must not leak an interrupt to the next app
        synchronized (lock) {
          e.running = null;
          if (e.dirty && !e.stopped) {
            enqueue(e);
          }
          lock.notifyAll();
        }
      }
    }
  }

  /** Puts {@code e} in the queue its request asks for; caller holds the lock. */
  private void enqueue(Entry e) {
    if (e.wantUrgent) {
      if (!e.inUrgent) {
        urgent.addLast(e);
        e.inUrgent = true;
        lock.notify();
      }
    } else if (!e.inPeriodic && !e.inUrgent) {
      periodic.addLast(e);
      e.inPeriodic = true;
      lock.notify();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    timer.shutdownNow();
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One app's requests (a {@link ReconcileLoop} on the shared workers). */
  private final class Entry implements ReconcileLoop {
    private Target target;
    // guarded by lock
    private boolean dirty;
    private boolean wantPeriodic;
    private boolean wantUrgent;
    private boolean inPeriodic;
    private boolean inUrgent;
    private Thread running;
    private boolean stopped = true;
    private ScheduledFuture<?> resync;

    @Override
    public void start(Target t) {
      Objects.requireNonNull(t, "target");
      synchronized (lock) {
        if (!stopped) {
          return;
        }
        target = t;
        stopped = false;
        add(true);
        // the first resync somewhere in the period, so that resyncs of apps started together
        // spread over it
        long periodMs = resyncPeriod.toMillis();
        scheduleResync(1 + (long) (random.nextDouble() * periodMs));
      }
    }

    private void scheduleResync(long delayMs) {
      try {
        resync =
            timer.schedule(
                () -> {
                  synchronized (lock) {
                    if (stopped) {
                      return;
                    }
                    add(true);
                    long periodMs = resyncPeriod.toMillis();
                    long spread = (long) (periodMs * jitter);
                    scheduleResync(
                        Math.max(1, periodMs - spread + (long) (random.nextDouble() * 2 * spread)));
                  }
                },
                delayMs,
                TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closedNow) {
        // the queue is closing
      }
    }

    /** A request; caller holds the lock. */
    private void add(boolean isPeriodic) {
      if (stopped || closed) {
        return;
      }
      dirty = true;
      if (isPeriodic) {
        wantPeriodic = true;
      } else {
        wantUrgent = true;
      }
      if (running == null) {
        enqueue(this);
      }
    }

    @Override
    public void refresh() {
      synchronized (lock) {
        add(false);
      }
    }

    @Override
    public boolean refreshAfter(Duration delay) {
      synchronized (lock) {
        if (stopped || closed) {
          return false;
        }
      }
      try {
        timer.schedule(
            () -> {
              synchronized (lock) {
                add(false);
              }
            },
            delay.toMillis() + 1,
            TimeUnit.MILLISECONDS);
        return true;
      } catch (java.util.concurrent.RejectedExecutionException closedNow) {
        return false;
      }
    }

    @Override
    public void stop() {
      synchronized (lock) {
        stopped = true;
        dirty = false;
        if (resync != null) {
          resync.cancel(false);
          resync = null;
        }
        if (running == Thread.currentThread()) {
          return; // stopping itself: this reconcile is the last
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running != null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    @Override
    public boolean onLoopThread() {
      synchronized (lock) {
        return running == Thread.currentThread();
      }
    }
  }
}
