/**
 * Helm chart rendering: {@link io.glidepath.helm.HelmRenderer}.
 *
 * <p>Value files are read and merged by Glidepath ({@link io.glidepath.core.values.Values}, Helm's
 * rules) with every path checked against the repository root; Helm then renders the chart with the
 * merged values over the chart's own defaults.
 */
package io.glidepath.helm;
