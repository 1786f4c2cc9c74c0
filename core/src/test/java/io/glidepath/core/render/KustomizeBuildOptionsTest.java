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
}
