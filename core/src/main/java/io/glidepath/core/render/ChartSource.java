package io.glidepath.core.render;

/**
 * Where Helm charts that are not in the Git checkout come from: Helm repositories over HTTP(S) and
 * OCI registries. A Helm source with {@code chart} renders a chart fetched here, and a chart's
 * {@code dependencies} are fetched here when they are not vendored in its {@code charts/}.
 *
 * <p>The Helm module's {@code ChartFetcher} (with an on-disk cache and Argo CD's repository
 * credentials) is the implementation to use:
 *
 * <pre>{@code
 * ChartSource charts = ChartFetcher.builder(ChartCache.open(cacheDir)).credentials(store).build();
 * FetchedChart c = charts.fetch(new ChartRequest("https://charts.example.com", "ingress-nginx",
 *     "^4.11", false));
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface ChartSource {
  /** A source that has no repositories: every fetch is a {@link RenderException} saying so. */
  ChartSource NONE =
      request -> {
        throw new RenderException(
            "chart "
                + request.chart()
                + " ("
                + request.repository()
                + " "
                + request.version()
                + ") cannot be fetched: no chart repositories are configured (give the renderer"
                + " a ChartSource, e.g. the Helm module's ChartFetcher)");
      };

  /**
   * The chart {@code request} names, unpacked in a local directory that stays valid while this
   * source is open; never modify it.
   *
   * @throws RenderException (a subclass naming the repository and chart) when it cannot be had
   */
  FetchedChart fetch(ChartRequest request);
}
