/**
 * Progressive delivery plans with Argo Rollouts' meaning: {@link io.glidepath.rollout.CanaryPlan}
 * (steps as the sealed {@link io.glidepath.rollout.CanaryStep}) and {@link
 * io.glidepath.rollout.BlueGreenPlan}, built fluently or read unchanged from a {@code Rollout}
 * YAML, validated with typed errors that name the step index ({@link
 * io.glidepath.rollout.PlanValidationException}).
 *
 * <pre>{@code
 * CanaryPlan plan = CanaryPlan.fromRollout(Path.of("rollout.yaml"));
 * System.out.print(plan.describe()); // the timeline and its minimum duration
 * }</pre>
 *
 * <p>Driving a plan on a cluster is in {@code .driver}, traffic routers in {@code .traffic}, the
 * offline simulator in {@code .simulate}. Values are non-null unless documented; absent values are
 * {@link java.util.Optional}.
 */
package io.glidepath.rollout;
