package io.glidepath.benchmarks.diff;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link DriftBenchmark} workloads run round-robin (detect, zjsonpatch, full equals, reading
 * both trees, detect, ...) and reported as medians: on a machine whose load changes from second to
 * second, ratios of interleaved rounds are steadier than ratios of JMH runs taken minutes apart.
 * Each workload is timed twice: wall clock, and the CPU time of the measuring thread (which leaves
 * out the time the thread waited for a core while other processes ran; cache and memory contention
 * still count).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.glidepath.benchmarks.diff.DriftInterleaved 20}.
 */
public final class DriftInterleaved {
  private DriftInterleaved() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    DriftBenchmark b = new DriftBenchmark();
    b.setup();
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][] wall = new double[4][rounds];
    double[][] cpu = new double[4][rounds];
    Runnable[] work = {
      () -> bh.consume(b.detect()),
      () -> b.zjsonpatchJsonDiff(bh),
      () -> b.jsonEqualsFullTraversal(bh),
      () -> bh.consume(b.readBothTrees())
    };
    for (int r = -5; r < rounds; r++) {
      for (int w = 0; w < work.length; w++) {
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work[w].run();
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        if (r >= 0) {
          wall[w][r] = (t1 - t0) / 1e6;
          cpu[w][r] = (c1 - c0) / 1e6;
        }
      }
    }
    for (int k = 0; k < 2; k++) {
      double[][] m = k == 0 ? wall : cpu;
      double d = median(m[0]);
      double z = median(m[1]);
      double e = median(m[2]);
      double t = median(m[3]);
      System.out.printf(
          Locale.ROOT,
          "median %s ms per %d pairs: detect %.1f, zjsonpatch JsonDiff %.1f, JsonNode.equals (full"
              + " traversal) %.1f, reading both trees %.1f; zjsonpatch/detect %.2fx, detect/equals"
              + " %.2fx, zjsonpatch/reading %.2fx%n",
          k == 0 ? "wall" : "cpu",
          DriftBenchmark.PAIRS,
          d,
          z,
          e,
          t,
          z / d,
          d / e,
          z / t);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
