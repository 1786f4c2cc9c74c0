package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;

/**
 * A {@link io.glidepath.kube.controller.DesiredStateSource} that keeps its last render compact
 * ({@link KeptRender}) and can tell, without reading it back into trees, that its next {@code
 * fetch(app)} would give that render again: a controller whose last comparison read that very
 * render and found nothing else changed then neither reads the render back nor compares.
 */
public interface KeptRenderSource {
  /**
   * The render {@code fetch(current)} would give back now because nothing it was rendered from
   * changed (the sources resolve to the same revisions, or to commits that touch none of its
   * inputs), or null when it would render again. Renders nothing; may resolve revisions and throw
   * as {@code fetch} does.
   */
  KeptRender unchanged(Application current);
}
