package io.glidepath.testkit.cluster;

/**
 * What a request to the {@link EmbeddedCluster} asked for, in Kubernetes' own verbs.
 *
 * <p>{@link #APPLY} is a server-side apply ({@code PATCH} with {@code
 * application/apply-patch+yaml}); {@link #PATCH} is any other patch. {@link #DISCOVERY} covers
 * {@code /version}, {@code /api}, {@code /apis} and the group-version documents.
 */
public enum Verb {
  DISCOVERY,
  GET,
  LIST,
  WATCH,
  CREATE,
  UPDATE,
  PATCH,
  APPLY,
  DELETE;

  /** Whether the verb changes state when it succeeds and is not a dry run. */
  public boolean isWrite() {
    return switch (this) {
      case CREATE, UPDATE, PATCH, APPLY, DELETE -> true;
      default -> false;
    };
  }
}
