package io.glidepath.benchmarks.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU time of a process's threads, Java's and the JVM's own (compiler, collector), grouped by
 * thread name with the digits taken out, read from Linux's {@code /proc/PID/task/TID/schedstat}
 * (nanoseconds). Empty where there is no {@code /proc}. A thread that ended between two readings
 * takes its time with it.
 */
final class TaskCpu {
  private TaskCpu() {}

  /** The CPU nanoseconds by thread group of process {@code pid} so far. */
  static Map<String, Long> of(long pid) {
    Map<String, Long> out = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : s.toList()) {
        try {
          String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
          String stat = Files.readString(t.resolve("schedstat"), StandardCharsets.UTF_8).trim();
          long ns = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
          out.merge(name.replaceAll("[0-9]+", "#"), ns, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** {@code after - before} by group. */
  static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new HashMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    return out;
  }

  /** Adds {@code more} into {@code sum}. */
  static void add(Map<String, Long> sum, Map<String, Long> more) {
    more.forEach((k, v) -> sum.merge(k, v, Long::sum));
  }

  /**
   * The {@code limit} largest groups as {@code name ms}, each divided by {@code per} (e.g. the
   * number of commits).
   */
  static String top(Map<String, Long> cpu, int limit, double per) {
    return cpu.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .map(e -> String.format("%s %.1f ms", e.getKey(), e.getValue() / 1e6 / per))
        .collect(Collectors.joining(", "));
  }
}
