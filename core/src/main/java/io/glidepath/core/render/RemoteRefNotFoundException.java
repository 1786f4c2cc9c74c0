package io.glidepath.core.render;

/** A remote base's ref (branch, tag or commit id) names no commit of its repository. */
public final class RemoteRefNotFoundException extends RenderException {
  private static final long serialVersionUID = 1L;

  private final String repository;
  private final String ref;

  /**
   * @param repository the repository URL, without credentials
   * @param ref the ref that names nothing
   */
  public RemoteRefNotFoundException(String repository, String ref, Throwable cause) {
    super("ref \"" + ref + "\" names no commit of " + repository, null, cause);
    this.repository = repository;
    this.ref = ref;
  }

  /** The repository URL, without credentials. */
  public String repository() {
    return repository;
  }

  /** The ref that names nothing. */
  public String ref() {
    return ref;
  }
}
