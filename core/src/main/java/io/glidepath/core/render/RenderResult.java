package io.glidepath.core.render;

import io.glidepath.core.resource.ResourceSet;
import java.util.List;
import java.util.Objects;

/**
 * What a render produced: the resources, the renderer that produced them, and warnings a person
 * should see (for example a Helm hook of a type Helm skips).
 *
 * @param resources the rendered resources, in the renderer's order
 * @param renderer the renderer's name: {@code helm}, {@code kustomize} or {@code directory}
 * @param warnings messages to show, never silently dropped
 */
public record RenderResult(ResourceSet resources, String renderer, List<String> warnings) {
  public RenderResult {
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(renderer, "renderer");
    warnings = List.copyOf(warnings);
  }
}
