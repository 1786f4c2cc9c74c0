package io.glidepath.core.app;

/**
 * Automated sync ({@code syncPolicy.automated}): sync on every Git change.
 *
 * @param prune delete resources removed from Git
 * @param selfHeal revert changes made in the cluster
 * @param allowEmpty allow a sync that would leave the application with no resources
 */
public record Automated(boolean prune, boolean selfHeal, boolean allowEmpty) {
  /** Automated sync without prune, self-heal or empty syncs (Argo CD's defaults). */
  public static final Automated DEFAULT = new Automated(false, false, false);
}
