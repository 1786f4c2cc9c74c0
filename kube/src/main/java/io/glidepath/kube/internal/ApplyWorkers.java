package io.glidepath.kube.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The apply threads every sync of the process shares: at most {@value #MAX_THREADS} threads,
 * started when needed and ended after {@value #IDLE_SECONDS} s idle, instead of a pool per sync.
 * The calling thread works too: it takes steps like a helper, so a sync never waits for a free
 * helper and many syncs at once cannot deadlock or start more threads than the bound.
 */
final class ApplyWorkers {
  static final int MAX_THREADS = 16;
  static final int IDLE_SECONDS = 30;

  private static final ThreadPoolExecutor POOL =
      new ThreadPoolExecutor(
          0,
          MAX_THREADS,
          IDLE_SECONDS,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "glidepath-apply");
            t.setDaemon(true);
            return t;
          });

  private ApplyWorkers() {}

  /**
   * {@code work} over {@code items} with up to {@code parallelism} threads (the caller's among
   * them); results in order. A step that throws gets {@code failed}'s result.
   */
  static <S, T> List<T> runAll(
      List<S> items, int parallelism, Function<S, T> work, BiFunction<S, Throwable, T> failed) {
    int n = items.size();
    @SuppressWarnings("unchecked")
    T[] results = (T[]) new Object[n];
    AtomicInteger next = new AtomicInteger();
    Runnable steps =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            S item = items.get(i);
            try {
              results[i] = work.apply(item);
            } catch (RuntimeException | Error e) {
              results[i] = failed.apply(item, e);
            }
          }
        };
    Runnable take = WriteFence.carry(steps);
    int helpers = Math.min(parallelism, n) - 1;
    AtomicInteger running = new AtomicInteger();
    Object done = new Object();
    for (int h = 0; h < helpers; h++) {
      running.incrementAndGet();
      try {
        POOL.execute(
            () -> {
              try {
                take.run();
              } finally {
                synchronized (done) {
                  running.decrementAndGet();
                  done.notifyAll();
                }
              }
            });
      } catch (RejectedExecutionException busy) {
        running.decrementAndGet(); // every helper is busy: the caller does the rest
        break;
      }
    }
    take.run();
    synchronized (done) {
      while (running.get() > 0) {
        try {
          done.wait();
        } catch (InterruptedException e) {
          // the steps in flight finish (no call is left half done); keep the interrupt
          Thread.currentThread().interrupt();
          try {
            done.wait(100);
          } catch (InterruptedException again) {
            // keep waiting
          }
        }
      }
    }
    List<T> out = new ArrayList<>(n);
    for (T t : results) {
      out.add(t);
    }
    return out;
  }

  /** Threads alive in the pool now. */
  static int threads() {
    return POOL.getPoolSize();
  }
}
