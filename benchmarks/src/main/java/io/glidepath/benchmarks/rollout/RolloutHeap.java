package io.glidepath.benchmarks.rollout;

import io.glidepath.benchmarks.ExtraResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Heap per active rollout: the retained heap of 1,000 concurrent seed rollouts in one driver (in
 * memory, virtual time, each in its background and step analyses), measured after full GCs. Target:
 * at most 50 KB per rollout (Argo Rollouts reports ~1 MB, issue #2855).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.rollout.RolloutHeap [n] [result.json]
 * }</pre>
 *
 * <p>With a result file, the figure is also written there for {@link
 * io.glidepath.benchmarks.Report} (as {@code RolloutHeap.bytesPerActiveRollout}).
 */
public final class RolloutHeap {
  private RolloutHeap() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long before = retained();
    Fleet fleet = new Fleet(n);
    // into the first pause with the background analysis measuring
    fleet.advance(Duration.ofSeconds(75));
    long during = retained();
    long perRollout = (during - before) / n;
    System.out.printf(
        "%d active rollouts: %d KB retained, %d bytes per rollout (target <= 51200)%n",
        n, (during - before) / 1024, perRollout);
    // step analysis running (minute 13)
    fleet.advance(Duration.ofMinutes(12));
    long analysing = retained();
    System.out.printf("during the step analysis: %d bytes per rollout%n", (analysing - before) / n);
    if (fleet.rollouts.size() != n) {
      throw new IllegalStateException("lost rollouts");
    }
    if (args.length > 1) {
      long worst = Math.max(perRollout, (analysing - before) / n);
      ExtraResult.write(
          Path.of(args[1]),
          List.of(
              new ExtraResult(
                  RolloutHeap.class.getName() + ".bytesPerActiveRollout",
                  worst,
                  "bytes/rollout",
                  true)));
    }
  }

  static long retained() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
