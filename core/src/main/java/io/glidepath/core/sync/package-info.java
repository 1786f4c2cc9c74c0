/**
 * Sync planning: {@link io.glidepath.core.sync.SyncPlanner} turns a drift report and the
 * application's policy into an ordered {@link io.glidepath.core.sync.SyncPlan} of {@link
 * io.glidepath.core.sync.SyncStep}s (hooks by phase, sync waves, Helm's kind order, prunes last),
 * which a sync engine executes. Planning is pure: it talks to no cluster.
 *
 * <p>Everything here is non-null; absent values are {@link java.util.Optional}.
 */
package io.glidepath.core.sync;
