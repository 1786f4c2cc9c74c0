package io.glidepath.kustomize;

import io.glidepath.core.render.RenderException;
import java.util.Objects;

/**
 * A Kustomize overlay that cannot be rendered. It names the kustomization file (relative to the
 * repository root), the entry in it that is wrong ({@code resources[2]}, {@code patches[0].target},
 * {@code configMapGenerator[1].files[0]}) and the kind of {@link Problem}.
 *
 * <pre>{@code
 * try {
 *   renderer.render(request);
 * } catch (KustomizeException e) {
 *   if (e.problem() == KustomizeException.Problem.REMOTE_RESOURCE) { ... }
 *   log.warn("{} in {} at {}", e.problem(), e.kustomizationFile(), e.entry());
 * }
 * }</pre>
 *
 * <p>Messages never contain the value of a secret literal or file.
 */
public final class KustomizeException extends RenderException {
  private static final long serialVersionUID = 1L;

  /** What kind of input was wrong. */
  public enum Problem {
    /** A file or directory an entry names does not exist. */
    MISSING_FILE,
    /**
     * A path leads outside the kustomization's directory (kustomize's {@code
     * LoadRestrictionsRootOnly}) or outside the repository.
     */
    PATH_ESCAPE,
    /**
     * A URL or a remote repository ({@code github.com/...}) that is refused: remote bases are off,
     * its host or repository is not on the allow-list, it is an HTTP(S) URL to a single file, or
     * the URL cannot be read.
     */
    REMOTE_RESOURCE,
    /** An allowed remote base's ref ({@code ?ref=}, {@code ?version=}) names no commit. */
    UNKNOWN_REF,
    /** An allowed remote base's repository could not be fetched. */
    REMOTE_FETCH,
    /** A field kustomize v5 does not know. */
    UNKNOWN_FIELD,
    /** A field kustomize knows but Glidepath does not render (e.g. {@code helmCharts}). */
    UNSUPPORTED_FIELD,
    /** A field with a value of the wrong type or form. */
    INVALID_VALUE,
    /** A patch that cannot be parsed or applied. */
    INVALID_PATCH,
    /** A patch whose target matches no resource. */
    NO_PATCH_TARGET,
    /** Kustomizations that include each other. */
    CYCLE,
    /** Two resources with one identity, or a generator colliding with a resource. */
    CONFLICT,
    /** A resource document without apiVersion, kind or name, or not valid YAML. */
    INVALID_RESOURCE
  }

  private final String kustomizationFile;
  private final String entry;
  private final Problem problem;

  /**
   * An error in {@code kustomizationFile} at {@code entry}.
   *
   * @param kustomizationFile the kustomization file, relative to the repository root
   * @param entry the entry, like {@code resources[1]}
   * @param problem the kind of problem
   * @param detail what is wrong
   * @param cause the underlying error, or null
   */
  public KustomizeException(
      String kustomizationFile, String entry, Problem problem, String detail, Throwable cause) {
    super(
        kustomizationFile + ": " + entry + ": " + detail + " [" + problem + "]",
        kustomizationFile,
        cause);
    this.kustomizationFile = Objects.requireNonNull(kustomizationFile, "kustomizationFile");
    this.entry = Objects.requireNonNull(entry, "entry");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The kustomization file, relative to the repository root. */
  public String kustomizationFile() {
    return kustomizationFile;
  }

  /** The entry of the kustomization file that is wrong, like {@code patches[0].target}. */
  public String entry() {
    return entry;
  }

  public Problem problem() {
    return problem;
  }
}
