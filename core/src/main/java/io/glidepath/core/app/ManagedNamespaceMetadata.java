package io.glidepath.core.app;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels and annotations for the destination namespace an Application creates ({@code
 * syncPolicy.managedNamespaceMetadata}); they take effect with {@code CreateNamespace=true}, as in
 * Argo CD.
 *
 * <pre>{@code
 * var m = new ManagedNamespaceMetadata(Map.of("team", "sre"), Map.of("owner", "trading"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param labels labels of the created namespace
 * @param annotations annotations of the created namespace
 */
public record ManagedNamespaceMetadata(
    Map<String, String> labels, Map<String, String> annotations) {
  public ManagedNamespaceMetadata {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }
}
