package io.glidepath.core.render;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A chart fetched by a {@link ChartSource}: where it is unpacked and what exactly it is.
 *
 * @param dir the unpacked chart (holds {@code Chart.yaml}); read-only
 * @param repository the repository it came from
 * @param name the chart's name
 * @param version the version chosen (the highest one satisfying the request's constraint)
 * @param digest the archive's digest, {@code sha256:<hex>}
 */
public record FetchedChart(
    Path dir, String repository, String name, String version, String digest) {
  public FetchedChart {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(digest, "digest");
  }
}
