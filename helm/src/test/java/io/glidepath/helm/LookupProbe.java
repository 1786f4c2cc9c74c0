package io.glidepath.helm;

import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Path;

/**
 * Renders {@code args[1]} of repository {@code args[0]} and prints the resources: run in a JVM of
 * its own by {@link HelmLookupIT}, whose environment the test sets.
 */
public final class LookupProbe {
  private LookupProbe() {}

  public static void main(String[] args) {
    RenderRequest request = RenderRequest.builder(Path.of(args[0]), args[1]).build();
    System.out.println(Yaml.write(HelmRenderer.create().render(request).resources()));
  }
}
