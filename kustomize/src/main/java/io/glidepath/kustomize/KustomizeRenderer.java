package io.glidepath.kustomize;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.kustomize.internal.KustTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a Kustomize overlay (a directory holding {@code kustomization.yaml}, {@code
 * kustomization.yml} or {@code Kustomization}) in-process, with the output {@code kustomize build}
 * (v5) gives: same resources, same order, same values.
 *
 * <pre>{@code
 * RenderRequest request = RenderRequest.builder(repoRoot, "apps/trade-service/overlays/production")
 *     .build();
 * RenderResult result = KustomizeRenderer.of().render(request);
 * }</pre>
 *
 * <p>Usually found through {@link ManifestRenderer#detect}, which this module extends. Supports
 * resources, bases and components; namespace, name prefix and suffix with name-reference fix-ups;
 * commonLabels, labels and commonAnnotations; images and replicas; strategic merge and JSON 6902
 * patches; ConfigMap and Secret generators with kustomize's content hash. Files are read only
 * inside each kustomization's own directory tree (kustomize's {@code LoadRestrictionsRootOnly}),
 * other kustomization directories only inside the repository. Remote bases ({@code
 * https://host/org/repo.git//path?ref=v1}) are refused unless {@link
 * io.glidepath.core.render.KustomizeOptions#allowedRemoteBases()} lists their host or repository;
 * then the request's {@link io.glidepath.core.render.RemoteBaseLoader} fetches them (the {@code
 * glidepath-git} module has one) and their files are read only inside their own checkout.
 *
 * <p>The request's {@link io.glidepath.core.render.KustomizeOptions} (Argo CD's {@code
 * spec.source.kustomize}: images, name prefix and suffix, namespace, replicas, common labels and
 * annotations) change the top kustomization before the build, as {@code kustomize edit set ...}
 * does when Argo CD runs it.
 *
 * <p>By default a patch whose target selects nothing is an error ({@link
 * KustomizeException.Problem#NO_PATCH_TARGET}); kustomize skips such patches silently. {@link
 * #lenient()} gives kustomize's behaviour and reports the patch as a warning instead.
 *
 * <p>Thread-safe and stateless: share one instance.
 */
public final class KustomizeRenderer implements ManifestRenderer {
  private static final KustomizeRenderer STRICT = new KustomizeRenderer(true);
  private static final KustomizeRenderer LENIENT = new KustomizeRenderer(false);

  private final boolean strictPatchTargets;

  private KustomizeRenderer(boolean strictPatchTargets) {
    this.strictPatchTargets = strictPatchTargets;
  }

  /** The renderer that refuses patches whose target selects nothing. */
  public static KustomizeRenderer of() {
    return STRICT;
  }

  /**
   * The renderer that, like kustomize, skips {@code patches} and {@code patchesJson6902} entries
   * whose target selects nothing, and lists them in {@link RenderResult#warnings()}.
   */
  public static KustomizeRenderer lenient() {
    return LENIENT;
  }

  @Override
  public String name() {
    return "kustomize";
  }

  /**
   * Renders the kustomization in the request's application directory.
   *
   * @throws KustomizeException naming the kustomization file and entry on bad input
   */
  @Override
  public RenderResult render(RenderRequest request) {
    KustTarget.Output out =
        KustTarget.build(
            request.paths(),
            request.appDir(),
            strictPatchTargets,
            request.kustomize(),
            request.remoteBases());
    List<String> warnings = new ArrayList<>(out.warnings());
    if (!request.valueFiles().isEmpty()
        || !request.parameters().isEmpty()
        || !request.inlineValues().isEmpty()
        || !request.fileParameters().isEmpty()) {
      // Helm options: a Kustomize app has no values, and silently dropping them would hide a
      // misconfigured application
      warnings.add(
          request.appPath()
              + " is a Kustomize app: value files "
              + request.valueFiles()
              + ", "
              + request.parameters().size()
              + " parameter(s), "
              + request.fileParameters().size()
              + " file parameter(s)"
              + (request.inlineValues().isEmpty() ? "" : " and inline values")
              + " are Helm options and were not used");
    }
    return new RenderResult(out.resources(), name(), warnings);
  }
}
