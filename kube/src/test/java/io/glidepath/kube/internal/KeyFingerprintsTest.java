package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyFingerprintsTest {
  @Test
  void answersAsASetOfTheKeysThroughGrowthRemovalsAndShrinking() {
    KeyFingerprints set = new KeyFingerprints();
    Set<String> model = new HashSet<>();
    Random random = new Random(7);
    for (int step = 0; step < 200_000; step++) {
      // a few thousand keys, so that the table grows, shrinks and wraps around many times
      String key = "ns-" + random.nextInt(40) + "/obj-" + random.nextInt(3_000);
      if (random.nextInt(step < 100_000 ? 3 : 2) == 0) {
        assertThat(set.remove(key)).isEqualTo(model.remove(key));
      } else {
        assertThat(set.add(key)).isEqualTo(model.add(key));
      }
      if (step % 997 == 0) {
        assertThat(set.size()).isEqualTo(model.size());
        for (int i = 0; i < 200; i++) {
          String probe = "ns-" + random.nextInt(40) + "/obj-" + random.nextInt(3_000);
          assertThat(set.contains(probe)).as(probe).isEqualTo(model.contains(probe));
        }
      }
    }
    for (String key : Set.copyOf(model)) {
      assertThat(set.remove(key)).isTrue();
    }
    assertThat(set.size()).isZero();
    assertThat(set.contains("ns-1/obj-1")).isFalse();
  }

  @Test
  void keysThatDifferInOneCharacterAreTold() {
    KeyFingerprints set = new KeyFingerprints();
    set.add("default/settings");
    assertThat(set.contains("default/settings")).isTrue();
    assertThat(set.contains("default/setting")).isFalse();
    assertThat(set.contains("default/settingt")).isFalse();
    assertThat(set.contains("settings")).isFalse();
    assertThat(set.contains("")).isFalse();
  }
}
