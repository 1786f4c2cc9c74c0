package io.glidepath.core.yaml;

/**
 * Bounds on what the YAML reader accepts, so that hostile input ends fast with a clear error.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_BYTES} bytes per input (Argo CD's manifest cap, after
 * CVE-2022-31016), {@value #DEFAULT_MAX_ALIASES} aliases per document, nesting depth {@value
 * #DEFAULT_MAX_DEPTH}, and {@value #DEFAULT_MAX_NODES} nodes per document after alias expansion
 * (what stops a "billion laughs" document whose aliases stay under the alias limit).
 *
 * @param maxBytes the largest input, in UTF-8 bytes
 * @param maxAliases the most aliases ({@code *name}) in one document
 * @param maxDepth the deepest nesting of mappings and sequences
 * @param maxNodes the most nodes one document may expand to
 */
public record YamlLimits(long maxBytes, int maxAliases, int maxDepth, long maxNodes) {
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  public static final int DEFAULT_MAX_ALIASES = 50;
  public static final int DEFAULT_MAX_DEPTH = 100;
  public static final long DEFAULT_MAX_NODES = 1_000_000L;

  public YamlLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, but was " + maxBytes);
    }
    if (maxAliases < 0) {
      throw new IllegalArgumentException("maxAliases must be >= 0, but was " + maxAliases);
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be >= 1, but was " + maxDepth);
    }
    if (maxNodes < 1) {
      throw new IllegalArgumentException("maxNodes must be >= 1, but was " + maxNodes);
    }
  }

  /** The defaults described above. */
  public static YamlLimits ofDefaults() {
    return new YamlLimits(
        DEFAULT_MAX_BYTES, DEFAULT_MAX_ALIASES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES);
  }
}
