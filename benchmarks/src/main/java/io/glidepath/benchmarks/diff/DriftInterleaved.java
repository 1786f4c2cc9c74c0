package io.glidepath.benchmarks.diff;

import java.util.Arrays;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link DriftBenchmark} workloads run round-robin (detect, zjsonpatch, full equals, detect,
 * ...) and reported as medians: on a machine whose load changes from second to second, ratios of
 * interleaved rounds are steadier than ratios of JMH runs taken minutes apart.
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
    double[] detect = new double[rounds];
    double[] zjsonpatch = new double[rounds];
    double[] equalsFull = new double[rounds];
    for (int r = -5; r < rounds; r++) {
      long t0 = System.nanoTime();
      bh.consume(b.detect());
      long t1 = System.nanoTime();
      b.zjsonpatchJsonDiff(bh);
      long t2 = System.nanoTime();
      b.jsonEqualsFullTraversal(bh);
      long t3 = System.nanoTime();
      if (r >= 0) {
        detect[r] = (t1 - t0) / 1e6;
        zjsonpatch[r] = (t2 - t1) / 1e6;
        equalsFull[r] = (t3 - t2) / 1e6;
      }
    }
    double d = median(detect);
    double z = median(zjsonpatch);
    double e = median(equalsFull);
    System.out.printf(
        Locale.ROOT,
        "median ms per %d pairs: detect %.1f, zjsonpatch JsonDiff %.1f, JsonNode.equals (full"
            + " traversal) %.1f; zjsonpatch/detect %.2fx, detect/equals %.2fx%n",
        DriftBenchmark.PAIRS,
        d,
        z,
        e,
        z / d,
        d / e);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
