package io.glidepath.examples.tour;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/** Fixtures of the API tour that are not part of a README snippet. */
final class Tour {
  private Tour() {}

  /** {@code examples/gitops-configs}; tests run in the examples module's directory. */
  static Path gitopsConfigs() {
    Path p = Path.of("gitops-configs").toAbsolutePath();
    if (!Files.isRegularFile(p.resolve("apps/trade-service/Chart.yaml"))) {
      throw new IllegalStateException("run from the examples module: no " + p);
    }
    return p;
  }

  /**
   * What a cluster would hold after someone scaled the Rollout to 15 by hand and created a
   * ConfigMap Git does not declare.
   */
  static ResourceSet liveState(ResourceSet desired) {
    ResourceKey key = new ResourceKey("argoproj.io", "Rollout", "production", "trade-service");
    Resource scaled =
        desired.get(key).orElseThrow().edit(o -> ((ObjectNode) o.get("spec")).put("replicas", 15));
    Resource extra =
        Yaml.readResources(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: trade-service-hotfix, namespace: production}
                data: {FEATURE_X: "off"}
                """,
                "live")
            .get(0);
    return desired.without(key).with(scaled).with(extra);
  }
}
