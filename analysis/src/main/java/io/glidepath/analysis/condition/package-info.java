/**
 * Success and failure conditions: CEL expressions that also accept Argo Rollouts' expr vocabulary.
 *
 * <p>{@link io.glidepath.analysis.condition.Condition#compile(String)} compiles (and caches) an
 * expression; {@link
 * io.glidepath.analysis.condition.Condition#test(io.glidepath.analysis.MetricValue)} evaluates it
 * against a measurement's {@code result}.
 */
package io.glidepath.analysis.condition;
