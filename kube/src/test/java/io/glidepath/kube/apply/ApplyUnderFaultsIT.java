package io.glidepath.kube.apply;

import static io.glidepath.kube.Fixtures.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.Resource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyUnderFaultsIT {
  @Test
  void aThousandResourcesConvergeThroughTwentyPercentInjectedFailures() {
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().seed(7).start();
        KubeCluster cluster =
            KubeCluster.connect(
                embedded.config(),
                new RequestRetry(10, Duration.ofMillis(1), 1.5, Duration.ofMillis(20)))) {
      List<Resource> plan = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        plan.add(configMap(null, "cm-" + i, Map.of("index", String.valueOf(i))));
      }
      // about 20% of requests hit one of these
      embedded.inject(Fault.status(500).withRate(0.06));
      embedded.inject(Fault.status(429).withRate(0.05));
      embedded.inject(Fault.status(409).withRate(0.05));
      embedded.inject(Fault.timeout(Duration.ofMillis(5)).withRate(0.05));

      ApplyReport report = Applier.of(cluster, ApplyOptions.ofDefaults()).apply("shop", plan);

      assertThat(report.succeeded()).as(report.failures().toString()).isTrue();
      assertThat(embedded.requests()).extracting(RecordedCall::status).contains(500, 429, 409, 504);
      assertThat(embedded.requests()).noneMatch(c -> c.verb() == Verb.DELETE);
      embedded.clearFaults();
      assertThat(cluster.liveState("shop").size()).isEqualTo(1000);
      assertThat(
              cluster
                  .get(plan.get(999).key().withNamespace("default"))
                  .orElseThrow()
                  .body()
                  .at("/data/index")
                  .asString())
          .isEqualTo("999");
    }
  }
}
