package io.glidepath.benchmarks.kube;

import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;

/**
 * An {@link EmbeddedCluster} in a JVM of its own, so that a measurement of the controller's CPU,
 * heap and threads does not count the test cluster's. Prints {@code READY <url>} when it listens
 * and stops when its standard input closes (its parent ended).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.ClusterProcess
 * }</pre>
 */
public final class ClusterProcess {
  private ClusterProcess() {}

  public static void main(String[] args) throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start()) {
      System.out.println("READY " + cluster.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent closes the pipe
      }
    }
  }
}
