package io.glidepath.examples.demo;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * What a demo leaves behind if the JVM exits while it runs (Ctrl-C, SIGTERM): the processes it
 * started (a {@code git daemon}, Prometheus) would outlive it and its temporary directory would
 * stay. While open, a shutdown hook closes what was {@linkplain #onExit registered}, last first,
 * then deletes the temporary directory. {@link #close()} removes the hook; the demo's normal path
 * closes and deletes those itself. Not an API.
 */
public final class ExitCleanup implements AutoCloseable {
  private final Path directory;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Thread hook;
  private boolean ran;

  private ExitCleanup(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.hook = new Thread(this::runNow, "glidepath-demo-exit-cleanup");
  }

  /** Registers the shutdown hook that cleans up {@code directory} (and what is registered). */
  public static ExitCleanup install(Path directory) {
    ExitCleanup cleanup = new ExitCleanup(directory);
    Runtime.getRuntime().addShutdownHook(cleanup.hook);
    return cleanup;
  }

  /** The shutdown hook's thread (tests). */
  Thread hook() {
    return hook;
  }

  /** Closes {@code resource} (before the ones registered earlier) if the JVM exits first. */
  public synchronized <T extends AutoCloseable> T onExit(T resource) {
    resources.push(Objects.requireNonNull(resource, "resource"));
    return resource;
  }

  /**
   * Closes every registered resource, last registered first, and deletes the directory; only the
   * first call does anything. Failures are ignored: the JVM is going away.
   */
  synchronized void runNow() {
    if (ran) {
      return;
    }
    ran = true;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception | LinkageError e) {
        // best effort: the next one still runs
      }
    }
    TempFiles.deleteTree(directory);
  }

  /** The demo ended on its own: the hook is removed (nothing is closed or deleted here). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: leave it to finish
    }
  }
}
