package io.glidepath.rollout.shard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Replica JVMs ({@link ReplicaProcess}) started from a test with the test's class path, and what
 * they report. Closing stops the live ones gracefully (their standard input closed), then forcibly.
 */
final class ReplicaProcesses implements AutoCloseable {
  /** One line a replica reported: when (epoch ms, the replica's clock), who, what. */
  record Line(long at, String replica, String what) {
    String[] words() {
      return what.split(" ");
    }
  }

  private final java.io.File dir;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final List<Thread> readers = new ArrayList<>();

  /** Replicas whose output goes to target/replicas. */
  ReplicaProcesses() {
    this("");
  }

  /** Replicas whose output goes to target/replicas/{@code run} (one directory per test). */
  ReplicaProcesses(String run) {
    this.dir =
        run.isEmpty()
            ? new java.io.File("target/replicas")
            : new java.io.File("target/replicas", run);
    dir.mkdirs();
  }

  /** Where this run's replica output, and anything else of the run's story, goes. */
  java.io.File dir() {
    return dir;
  }

  /** Starts replica {@code identity} with {@link ReplicaProcess}'s arguments after the URL. */
  void start(String url, String identity, Object... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    // under surefire/failsafe java.class.path may be a manifest-only booter jar; the test class
    // path itself is here
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(ReplicaProcess.class.getName());
    command.add(url);
    command.add(identity);
    for (Object a : args) {
      command.add(String.valueOf(a));
    }
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(errorFile(identity)))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    processes.put(identity, p);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  java.io.PrintWriter copy =
                      new java.io.PrintWriter(
                          new java.io.FileWriter(outputFile(identity), StandardCharsets.UTF_8),
                          true)) {
                String l;
                while ((l = r.readLine()) != null) {
                  copy.println(l);
                  int space = l.indexOf(' ');
                  if (space > 0) {
                    try {
                      lines.add(
                          new Line(
                              Long.parseLong(l.substring(0, space)),
                              identity,
                              l.substring(space + 1)));
                      continue;
                    } catch (NumberFormatException e) {
                      // not a report: pass it on below
                    }
                  }
                  System.out.println("[" + identity + "] " + l);
                }
              } catch (IOException e) {
                // the process died
              }
            },
            "replica-output-" + identity);
    reader.setDaemon(true);
    reader.start();
    readers.add(reader);
  }

  /** Where replica {@code identity}'s standard error goes: IDENTITY.err in {@link #dir()}. */
  java.io.File errorFile(String identity) {
    return new java.io.File(dir, identity + ".err");
  }

  /** Where replica {@code identity}'s standard output is copied: IDENTITY.out in {@link #dir()}. */
  java.io.File outputFile(String identity) {
    return new java.io.File(dir, identity + ".out");
  }

  /** Every line reported so far. */
  List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The lines matching {@code filter}. */
  List<Line> lines(Predicate<Line> filter) {
    return lines.stream().filter(filter).toList();
  }

  /** Waits until {@code condition} holds, at most {@code max}; false if it did not. */
  boolean await(java.util.function.BooleanSupplier condition, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      for (Map.Entry<String, Process> e : processes.entrySet()) {
        if (!e.getValue().isAlive() && e.getValue().exitValue() != 0 && !killed(e.getKey())) {
          throw new AssertionError(
              "replica " + e.getKey() + " exited with " + e.getValue().exitValue());
        }
      }
      Thread.sleep(50);
    }
    return true;
  }

  private final java.util.Set<String> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private boolean killed(String identity) {
    return killed.contains(identity);
  }

  /** kill -9: the replica dies at once, releasing nothing. Returns when it is gone. */
  void kill(String identity) throws InterruptedException {
    killed.add(identity);
    Process p = processes.get(identity);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops the replicas still running: gracefully (standard input closed), then forcibly. */
  @Override
  public void close() {
    try {
      stopAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      processes.values().forEach(Process::destroyForcibly);
    }
  }

  /** The last few STATE reports of each replica, for a failure's story. */
  String states() {
    StringBuilder b = new StringBuilder();
    for (String id : processes.keySet()) {
      List<Line> states = lines(l -> l.replica().equals(id) && l.what().startsWith("STATE "));
      b.append(id).append(":\n");
      states
          .subList(Math.max(0, states.size() - 8), states.size())
          .forEach(l -> b.append("  ").append(l.at()).append(' ').append(l.what()).append('\n'));
    }
    return b.toString();
  }

  private void stopAll() throws InterruptedException {
    System.out.print(states());
    for (Process p : processes.values()) {
      if (p.isAlive()) {
        try {
          p.getOutputStream().close();
        } catch (IOException e) {
          p.destroyForcibly();
        }
      }
    }
    for (Process p : processes.values()) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
    for (Thread t : readers) {
      t.join(2_000);
    }
  }
}
