package io.glidepath.core.render;

import java.util.Objects;

/**
 * A chart to fetch from a Helm repository or an OCI registry.
 *
 * @param repository the repository URL: {@code https://charts.example.com/stable}, {@code
 *     oci://registry.example.com/charts}, or an OCI registry path without scheme when the
 *     repository's credentials say {@code enableOCI} (Argo CD's older form)
 * @param chart the chart's name in the repository
 * @param version an exact version, a constraint ({@code ^1.2}, {@code >=1.0 <2}, {@code *}), or for
 *     OCI a digest ({@code sha256:...}); blank means the newest release
 * @param passCredentials send the repository's credentials also to hosts other than its own (Argo
 *     CD's {@code helm.passCredentials}, Helm's {@code --pass-credentials})
 */
public record ChartRequest(
    String repository, String chart, String version, boolean passCredentials) {
  public ChartRequest {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(version, "version");
    if (repository.isBlank()) {
      throw new IllegalArgumentException("repository must not be blank");
    }
    if (chart.isBlank()) {
      throw new IllegalArgumentException("chart must not be blank");
    }
  }

  /** The request as text for messages: repository, chart and version. */
  @Override
  public String toString() {
    return repository + " " + chart + (version.isBlank() ? "" : " " + version);
  }
}
