package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowsCommandTest {
  static final String PROJECT = "../core/src/test/resources/project/production.yaml";

  @Test
  void showsTheFridayFreezeActiveWithItsEnd() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("windows", "--project", PROJECT, "--at", "2026-11-27T17:30:00Z");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("deny window \"0 16 * * FRI\" for 64h0m0s (Europe/Berlin)")
        .contains("for applications *")
        .contains(
            "ACTIVE until 2026-11-30T07:00:00Z: blocks automated syncs; manual syncs allowed");
  }

  @Test
  void showsWhenAnInactiveWindowOpensNext() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("windows", "--project", PROJECT, "--at", "1795600800");
    assertThat(run.out()).contains("inactive, next opens 2026-11-27T15:00:00Z: blocks nothing now");
  }

  @Test
  void exitsTwoOnABadTime() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("windows", "--project", PROJECT, "--at", "friday");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("neither RFC 3339");
  }
}
