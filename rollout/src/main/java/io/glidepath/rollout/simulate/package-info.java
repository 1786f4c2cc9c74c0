/**
 * The {@link io.glidepath.rollout.simulate.RolloutSimulator}: a plan and its analysis templates run
 * by the real driver on virtual time and an in-memory cluster, fed by recorded metrics or a
 * built-in {@link io.glidepath.rollout.simulate.Scenario}, reported as text, JSON or HTML with SVG
 * charts ({@link io.glidepath.rollout.simulate.SimulationResult}).
 */
package io.glidepath.rollout.simulate;
