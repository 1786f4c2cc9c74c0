/**
 * Drift: is the cluster equal to Git, and if not, exactly how.
 *
 * <p>{@link io.glidepath.core.diff.DriftDetector} compares desired with live resources into a
 * {@link io.glidepath.core.diff.DriftReport} (Synced, Modified, Missing, Extraneous per key, with
 * RFC 6902 patches and unified diffs, Secret values masked), honouring {@link
 * io.glidepath.core.diff.IgnoreDifference} rules compatible with Argo CD's {@code
 * ignoreDifferences}. {@link io.glidepath.core.diff.EnvironmentDiff} compares two rendered
 * environments field by field.
 *
 * <p>Everything here is non-null; absent values are {@link java.util.Optional}.
 */
package io.glidepath.core.diff;
