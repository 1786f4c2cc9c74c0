package io.glidepath.appset;

/**
 * Argo CD's {@code spec.syncPolicy.applicationsSync}: what the ApplicationSetController may do to
 * the Applications it generated.
 */
public enum ApplicationsSync {
  /** Create; never update or delete. */
  CREATE_ONLY("create-only", false, false),
  /** Create and update; never delete. */
  CREATE_UPDATE("create-update", true, false),
  /** Create and delete; never update. */
  CREATE_DELETE("create-delete", false, true),
  /** Create, update and delete (Argo CD's default). */
  SYNC("sync", true, true);

  private final String argoName;
  private final boolean updates;
  private final boolean deletes;

  ApplicationsSync(String argoName, boolean updates, boolean deletes) {
    this.argoName = argoName;
    this.updates = updates;
    this.deletes = deletes;
  }

  public String argoName() {
    return argoName;
  }

  public boolean allowsUpdate() {
    return updates;
  }

  public boolean allowsDelete() {
    return deletes;
  }

  /** The policy of an Argo CD value, or empty. */
  public static java.util.Optional<ApplicationsSync> of(String value) {
    for (ApplicationsSync p : values()) {
      if (p.argoName.equals(value)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }
}
