package io.glidepath.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** A long-running cluster does not keep every request it served in memory. */
class ServerQueueIT {

  @Test
  void mockWebServersOwnRequestQueueIsDrainedAfterEachRequest() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().manualController().start()) {
      KubernetesClient client = cluster.client();
      for (int i = 0; i < 50; i++) {
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("cm-" + i)
                    .endMetadata()
                    .addToData("i", Integer.toString(i))
                    .build())
            .create();
        client.configMaps().inNamespace("default").withName("cm-" + i).get();
      }

      assertThat(cluster.requests()).hasSizeGreaterThanOrEqualTo(100);
      assertThat(cluster.serverQueueHoldsARequest()).isFalse();
    }
  }
}
