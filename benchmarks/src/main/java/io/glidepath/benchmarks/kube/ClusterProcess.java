package io.glidepath.benchmarks.kube;

import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An {@link EmbeddedCluster} in a JVM of its own, so that a measurement of the controller's CPU,
 * heap and threads does not count the test cluster's. Prints {@code READY <url>} when it listens
 * and stops when its standard input closes (its parent ended). A line {@code REQUESTS} on its
 * standard input makes it print one line {@code REQUESTS <count> <verb kind>=<count> ...}: the
 * requests answered since the last such line, by verb and kind (reads also by object name, digits
 * left out).
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
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      int told = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.trim().equals("REQUESTS")) {
          var calls = cluster.requests();
          System.out.println(requests(calls.subList(told, calls.size())));
          told = calls.size();
          System.out.flush();
        }
      }
    }
  }

  private static String requests(java.util.List<RecordedCall> calls) {
    Map<String, Long> byKind =
        calls.stream()
            .collect(
                Collectors.groupingBy(
                    (RecordedCall c) ->
                        c.verb()
                            + " "
                            + c.kind()
                            + (c.verb().isWrite() || c.name().isEmpty()
                                ? ""
                                : ":" + c.name().replaceAll("[0-9]+", "#")),
                    TreeMap::new,
                    Collectors.counting()));
    return "REQUESTS "
        + calls.size()
        + " "
        + byKind.entrySet().stream()
            .map(e -> e.getKey().replace(' ', '_') + "=" + e.getValue())
            .collect(Collectors.joining(" "));
  }
}
