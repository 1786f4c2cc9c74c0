package io.glidepath.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The seed's rollout.yaml, unchanged, from the test resources. */
public final class Seed {
  private Seed() {}

  public static String rolloutYaml() {
    try (InputStream in = Seed.class.getResourceAsStream("/seed/rollout.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CanaryPlan plan() {
    return CanaryPlan.fromRollout(rolloutYaml(), "rollout.yaml");
  }
}
