/**
 * Glidepath Kustomize: renders Kustomize overlays in-process with kustomize v5's semantics.
 *
 * <p>Registers a {@link io.glidepath.core.render.RendererProvider}, so that {@code
 * ManifestRenderer.detect(dir)} picks the Kustomize renderer for a directory holding a {@code
 * kustomization.yaml}.
 */
module io.glidepath.kustomize {
  requires transitive io.glidepath.core;
  requires org.snakeyaml.engine;
  requires re2j;

  exports io.glidepath.kustomize;

  provides io.glidepath.core.render.RendererProvider with
      io.glidepath.kustomize.internal.KustomizeRendererProvider;
}
