package io.glidepath.kube.controller;

import java.util.List;
import java.util.TreeSet;

/**
 * What Argo CD shows as an app's summary ({@code status.summary}): the container images its
 * workloads run and the external URLs its Ingresses and link annotations name. Both lists are
 * sorted and free of duplicates.
 *
 * <pre>{@code
 * AppSummary s = controller.status().orElseThrow().summary();
 * s.images();       // [registry.example.com/org/trade-service:1.4.2]
 * s.externalURLs(); // [https://trade-service.example.com/]
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param images container and init-container images, sorted, unique
 * @param externalURLs external URLs, sorted, unique
 */
public record AppSummary(List<String> images, List<String> externalURLs) {
  /** No images and no URLs: an app not compared yet, or one without workloads or Ingresses. */
  public static final AppSummary EMPTY = new AppSummary(List.of(), List.of());

  public AppSummary {
    images = List.copyOf(new TreeSet<>(images));
    externalURLs = List.copyOf(new TreeSet<>(externalURLs));
  }
}
