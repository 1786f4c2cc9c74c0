/**
 * The emergency channel's second half: after someone fixed production by hand (self-heal off),
 * {@link io.glidepath.git.backfill.DriftBackfill} writes the live values of the drifted fields back
 * into Git on a new branch for review, so that the next sync keeps the fix instead of undoing it.
 *
 * <p>Plain-YAML apps get a surgical edit of the manifest the resource came from, Kustomize apps a
 * strategic-merge patch in the overlay (never the base), Helm apps a report of the values keys that
 * would have to change. Secret data is never written.
 *
 * <p>Everything here is non-null; absent values are {@link java.util.Optional}.
 */
package io.glidepath.git.backfill;
