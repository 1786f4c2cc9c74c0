package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void olderStablesWaitingOutTheirDelaySurviveTheJsonForm() {
    RolloutStatus s =
        RolloutStatus.start("c3", "s2", T0, List.of("s2", "s1"))
            .withDelayedScaleDowns(
                List.of(
                    new RolloutStatus.ScaleDown("s1", T0.plusSeconds(300)),
                    new RolloutStatus.ScaleDown("s0", T0.plusSeconds(120))));
    RolloutStatus back = RolloutStatus.fromJson(s.toJson());
    assertThat(back).isEqualTo(s);
    assertThat(back.delayedScaleDowns())
        .extracting(RolloutStatus.ScaleDown::hash)
        .containsExactly("s1", "s0");
    // a status written before the field existed reads as none waiting
    var old = s.toJson();
    old.remove("delayedScaleDowns");
    assertThat(RolloutStatus.fromJson(old).delayedScaleDowns()).isEmpty();
  }
}
