/**
 * The {@link io.glidepath.rollout.driver.RolloutDriver}: one crash-safe state machine per workload
 * revision, persisting its {@link io.glidepath.rollout.driver.RolloutStatus} in the cluster ({@link
 * io.glidepath.rollout.driver.RolloutCluster}) before every action, with Argo's commands on {@link
 * io.glidepath.rollout.driver.Rollout}, {@link io.glidepath.rollout.driver.RolloutListener}s and
 * the {@link io.glidepath.rollout.driver.WebhookNotifier}.
 *
 * <pre>{@code
 * RolloutDriver driver = RolloutDriver.of(RolloutCluster.kubernetes(client),
 *     TrafficRouter.istio(client, new TrafficRouting.Istio("trade-service-vs", List.of("primary"))),
 *     MetricProviders.of(PrometheusProvider.ofDefaults()),
 *     AnalysisScheduler.of(executor, Clock.systemUTC()));
 * Rollout rollout = driver.start(plan);
 * }</pre>
 */
package io.glidepath.rollout.driver;
