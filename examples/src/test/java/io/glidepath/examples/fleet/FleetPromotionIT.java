package io.glidepath.examples.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet example as users run it: v2 goes cluster by cluster, v3 stops at staging. */
class FleetPromotionIT {
  @Test
  void promotesV2InOrderAndRollsV3BackOnStaging(@TempDir Path work) throws Exception {
    ExternalTool.require(ExternalTool.GIT);
    FleetPromotion.Outcome o =
        FleetPromotion.run(work, line -> System.out.println(java.time.Instant.now() + " " + line));
    assertThat(o.v2Order()).containsExactly("staging", "prod-eu", "prod-us");
    assertThat(o.stagingRanV3()).isTrue();
    assertThat(o.releases()).isEqualTo(Map.of("staging", "v2", "prod-eu", "v2", "prod-us", "v2"));
    assertThat(o.rollout().path("message").asString())
        .startsWith(
            "ApplicationSet rollout stopped at step 1: analysis trade-service-success-rate was"
                + " Failed");
    assertThat(List.of(o.rollout().path("status").asString())).containsExactly("False");
  }
}
