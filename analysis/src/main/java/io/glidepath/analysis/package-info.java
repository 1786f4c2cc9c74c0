/**
 * Argo Rollouts compatible analysis.
 *
 * <p>{@link io.glidepath.analysis.AnalysisTemplate} reads (Cluster)AnalysisTemplates unchanged and
 * resolves their arguments; {@link io.glidepath.analysis.AnalysisEvaluator} applies Argo's
 * measurement, metric and run rules as pure functions (test templates without a server); {@link
 * io.glidepath.analysis.AnalysisRun} takes measurements on an injected {@link
 * io.glidepath.analysis.AnalysisScheduler} and reports through an {@link
 * io.glidepath.analysis.AnalysisListener}. Conditions are in {@code .condition}, providers in
 * {@code .provider}, the statistical canary judge in {@code .judge}.
 *
 * <pre>{@code
 * AnalysisTemplate t = AnalysisTemplate.read(Path.of("rollout.yaml"), "success-rate")
 *     .resolve(Map.of("service-name", "trade-service"));
 * AnalysisResult r = AnalysisRun.replay(t,
 *     MetricProviders.of(PrometheusProvider.newBuilder().address(prometheusUri).build()),
 *     Instant.parse("2026-01-01T10:00:00Z"), AnalysisListener.NONE);
 * }</pre>
 *
 * <p>Everything here knows nothing of Kubernetes: secrets and fields referenced by arguments are
 * looked up through a caller-supplied {@link io.glidepath.analysis.ArgumentResolver}.
 */
package io.glidepath.analysis;
