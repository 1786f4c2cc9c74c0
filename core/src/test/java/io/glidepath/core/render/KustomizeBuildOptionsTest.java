package io.glidepath.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.KustomizeOptions.BuildOptions;
import org.junit.jupiter.api.Test;

class KustomizeBuildOptionsTest {
  @Test
  void readsArgoCdsBuildOptionsString() {
    assertThat(
            BuildOptions.parse(
                "--load-restrictor LoadRestrictionsNone --enable-helm --enable-managedby-label"))
        .isEqualTo(new BuildOptions(true, true, true));
    assertThat(BuildOptions.parse("--load-restrictor=LoadRestrictionsRootOnly"))
        .isEqualTo(BuildOptions.DEFAULTS);
    assertThat(BuildOptions.parse("")).isEqualTo(BuildOptions.DEFAULTS);
    assertThat(BuildOptions.parse(null)).isEqualTo(BuildOptions.DEFAULTS);
  }

  @Test
  void refusesFlagsItDoesNotHonourRatherThanDroppingThem() {
    assertThatThrownBy(() -> BuildOptions.parse("--enable-alpha-plugins"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--enable-alpha-plugins");
    assertThatThrownBy(() -> BuildOptions.parse("--load-restrictor"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a value");
  }

  @Test
  void buildFlagsMakeOptionsNonEmptyAndSurviveCopies() {
    KustomizeOptions o = KustomizeOptions.NONE.withBuild(new BuildOptions(false, true, false));
    assertThat(o.isEmpty()).isFalse();
    assertThat(o.withNamePrefix("p-").build().enableHelm()).isTrue();
    assertThat(KustomizeOptions.NONE.build()).isEqualTo(BuildOptions.DEFAULTS);
  }

  @Test
  void equalsAndHashCodeAreTheRecordsOwn() {
    for (int bits = 0; bits < 8; bits++) {
      BuildOptions a = new BuildOptions((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0);
      BuildOptions same =
          new BuildOptions(a.loadRestrictionsNone(), a.enableHelm(), a.enableManagedByLabel());
      assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
      // the hash a record's generated hashCode gives: components folded as h * 31 + hash
      assertThat(a.hashCode())
          .isEqualTo(
              (Boolean.hashCode(a.loadRestrictionsNone()) * 31 + Boolean.hashCode(a.enableHelm()))
                      * 31
                  + Boolean.hashCode(a.enableManagedByLabel()));
      for (int other = 0; other < 8; other++) {
        if (other != bits) {
          assertThat(a)
              .isNotEqualTo(new BuildOptions((other & 1) != 0, (other & 2) != 0, (other & 4) != 0));
        }
      }
    }
    assertThat(BuildOptions.DEFAULTS).isNotEqualTo(null).isNotEqualTo("DEFAULTS");
  }
}
