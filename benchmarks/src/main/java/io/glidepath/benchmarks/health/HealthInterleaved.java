package io.glidepath.benchmarks.health;

import io.glidepath.core.resource.Resource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * {@link HealthBenchmark}'s workloads run round-robin, printing medians of wall time and of the
 * measuring thread's CPU time in microseconds per object: on a machine shared with other builds a
 * thread often waits for a core, and CPU time is the steadier figure.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.glidepath.benchmarks.health.HealthInterleaved 30}.
 */
public final class HealthInterleaved {
  private HealthInterleaved() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    HealthBenchmark b = new HealthBenchmark();
    b.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] names = {"mixed", "luaOnly", "builtInOnly"};
    List<List<Resource>> lists = List.of(b.mixed, b.lua, b.builtIn);
    double[][] wall = new double[3][rounds];
    double[][] cpu = new double[3][rounds];
    for (int warm = 0; warm < 10; warm++) {
      for (List<Resource> l : lists) {
        l.forEach(b.assessor::assess);
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (int w = 0; w < 3; w++) {
        List<Resource> l = lists.get(w);
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (Resource res : l) {
          b.assessor.assess(res);
        }
        wall[w][r] = (System.nanoTime() - t0) / 1000.0 / l.size();
        cpu[w][r] = (threads.getCurrentThreadCpuTime() - c0) / 1000.0 / l.size();
      }
    }
    for (int w = 0; w < 3; w++) {
      System.out.printf(
          "%-12s median %.2f us/object wall, %.2f us/object CPU%n",
          names[w], median(wall[w]), median(cpu[w]));
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
