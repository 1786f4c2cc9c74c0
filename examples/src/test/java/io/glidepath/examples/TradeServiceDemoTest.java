package io.glidepath.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TradeServiceDemoTest {

  @Test
  void rendersTheSeedAppForProductionFromTheBundledConfigs() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code =
        new TradeServiceDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8), "v2", true)
            .run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(out)
        .contains("Rendered 10 resources with helm")
        .contains(
            "argoproj.io/Rollout:production/trade-service  replicas=10 image=registry.example.com/org/trade-service:v2")
        .contains("replicas=10..30 cpu=70%")
        .contains("minAvailable=60%");
    String manifests = out.substring(out.indexOf("apiVersion"), out.indexOf("Rendered 10"));
    assertThat(Yaml.readResources(manifests, "demo-output")).hasSize(10);
  }
}
