/**
 * The fleet example: one ApplicationSet stamps trade-service onto three clusters and promotes each
 * release through them in order, gated by an analysis of the cluster just synced ({@link
 * io.glidepath.examples.fleet.FleetPromotion}).
 */
package io.glidepath.examples.fleet;
