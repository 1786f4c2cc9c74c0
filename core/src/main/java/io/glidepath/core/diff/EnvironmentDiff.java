package io.glidepath.core.diff;

import io.glidepath.core.internal.diff.EnvironmentDiffer;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.resource.ResourceSet;
import java.util.Objects;
import java.util.function.Function;

/**
 * Renders two environments of one application (staging and production value files, two Kustomize
 * overlays) and shows, per resource and field path, the value in each: the view that keeps forty
 * values files manageable.
 *
 * <pre>{@code
 * EnvironmentComparison c = EnvironmentDiff.create().compare(
 *     "staging", base.newBuilder().valueFiles("values-staging.yaml").build(),
 *     "production", base.newBuilder().valueFiles("values-production.yaml").build());
 * System.out.print(c.toTable());
 * }</pre>
 *
 * <p>Resources are matched by group, kind and name (not namespace); values are normalized like
 * drift detection does (a Secret's {@code stringData} as base64 {@code data}, the default port
 * protocol dropped) and Secret values are masked, equal values with equal masks. Thread-safe.
 */
public final class EnvironmentDiff {
  private final Function<RenderRequest, ResourceSet> render;

  private EnvironmentDiff(Function<RenderRequest, ResourceSet> render) {
    this.render = render;
  }

  /** Renders with the renderer {@link ManifestRenderer#detect} picks for each request. */
  public static EnvironmentDiff create() {
    return new EnvironmentDiff(r -> ManifestRenderer.renderApp(r).resources());
  }

  /** Renders with {@code renderer}. */
  public static EnvironmentDiff using(ManifestRenderer renderer) {
    Objects.requireNonNull(renderer, "renderer");
    return new EnvironmentDiff(r -> renderer.render(r).resources());
  }

  /** Renders both requests and compares the results. */
  public EnvironmentComparison compare(
      String nameA, RenderRequest a, String nameB, RenderRequest b) {
    return compare(nameA, render.apply(a), nameB, render.apply(b));
  }

  /** Compares two already rendered environments. */
  public static EnvironmentComparison compare(
      String nameA, ResourceSet a, String nameB, ResourceSet b) {
    return EnvironmentDiffer.compare(nameA, a, nameB, b);
  }
}
