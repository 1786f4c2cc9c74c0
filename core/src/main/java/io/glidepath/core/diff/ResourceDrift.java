package io.glidepath.core.diff;

import io.glidepath.core.internal.diff.UnifiedDiff;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * How one resource compares: its {@link DriftStatus}, the resources themselves (for a sync engine),
 * and for {@link DriftStatus#MODIFIED} the RFC 6902 patch and the unified diff.
 *
 * <p>The compared trees ({@link #comparedLive()}, {@link #comparedDesired()}), the patch and the
 * diff hold what was compared after normalization, with Secret values masked ({@code ++++++++}):
 * they are safe to print. {@link #desired()} and {@link #live()} are the resources as given, for
 * applying; they are not masked (their {@code toString()} prints only the key).
 *
 * <pre>{@code
 * ResourceDrift d = report.get(key).orElseThrow();
 * if (d.status() == DriftStatus.MODIFIED) System.out.print(d.unifiedDiff());
 * }</pre>
 *
 * <p>Immutable and thread-safe; the diff text is computed on first use.
 */
public final class ResourceDrift {
  private final ResourceKey key;
  private final DriftStatus status;
  private final Resource desired;
  private final Resource live;
  private volatile JsonNode comparedDesired;
  private volatile JsonNode comparedLive;
  private volatile Supplier<JsonNode[]> compared;
  private final List<PatchOperation> patch;
  private volatile String diff;

  private ResourceDrift(
      ResourceKey key,
      DriftStatus status,
      Resource desired,
      Resource live,
      JsonNode comparedDesired,
      JsonNode comparedLive,
      List<PatchOperation> patch) {
    this.key = key;
    this.status = status;
    this.desired = desired;
    this.live = live;
    this.comparedDesired = comparedDesired;
    this.comparedLive = comparedLive;
    this.patch = List.copyOf(patch);
  }

  /**
   * A drift entry. {@code comparedDesired}/{@code comparedLive} must already be masked; a detector
   * builds these, tests and fakes may too.
   *
   * @throws IllegalArgumentException when the status does not fit the resources present
   */
  public static ResourceDrift of(
      ResourceKey key,
      DriftStatus status,
      Optional<Resource> desired,
      Optional<Resource> live,
      Optional<JsonNode> comparedDesired,
      Optional<JsonNode> comparedLive,
      List<PatchOperation> patch) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    boolean fits =
        switch (status) {
          case SYNCED, MODIFIED -> desired.isPresent() && live.isPresent();
          case MISSING -> desired.isPresent() && live.isEmpty();
          case EXTRANEOUS -> desired.isEmpty() && live.isPresent();
        };
    if (!fits) {
      throw new IllegalArgumentException(
          "status "
              + status
              + " of "
              + key
              + " does not fit desired="
              + desired.isPresent()
              + ", live="
              + live.isPresent());
    }
    return new ResourceDrift(
        key,
        status,
        desired.orElse(null),
        live.orElse(null),
        comparedDesired.orElse(null),
        comparedLive.orElse(null),
        patch);
  }

  /**
   * A {@link DriftStatus#SYNCED} entry whose compared trees are computed on first use, so that a
   * detector need not build trees nobody reads. {@code compared} returns {@code {desired, live}},
   * already masked.
   */
  public static ResourceDrift synced(
      ResourceKey key, Resource desired, Resource live, Supplier<JsonNode[]> compared) {
    Objects.requireNonNull(compared, "compared");
    ResourceDrift d =
        of(
            key,
            DriftStatus.SYNCED,
            Optional.of(desired),
            Optional.of(live),
            Optional.empty(),
            Optional.empty(),
            List.of());
    d.compared = compared;
    return d;
  }

  private void resolve() {
    Supplier<JsonNode[]> s = compared;
    if (s != null) {
      synchronized (this) {
        if (compared != null) {
          JsonNode[] trees = compared.get();
          comparedDesired = trees[0];
          comparedLive = trees[1];
          compared = null;
        }
      }
    }
  }

  public ResourceKey key() {
    return key;
  }

  public DriftStatus status() {
    return status;
  }

  /** The resource as rendered from Git; empty for {@link DriftStatus#EXTRANEOUS}. */
  public Optional<Resource> desired() {
    return Optional.ofNullable(desired);
  }

  /** The resource as found in the cluster; empty for {@link DriftStatus#MISSING}. */
  public Optional<Resource> live() {
    return Optional.ofNullable(live);
  }

  /** The desired object as compared (normalized, masked); a copy. */
  public Optional<JsonNode> comparedDesired() {
    resolve();
    return Optional.ofNullable(comparedDesired).map(JsonNode::deepCopy);
  }

  /** The live object as compared (only fields we set, normalized, masked); a copy. */
  public Optional<JsonNode> comparedLive() {
    resolve();
    return Optional.ofNullable(comparedLive).map(JsonNode::deepCopy);
  }

  /**
   * The RFC 6902 patch turning {@link #comparedLive()} into {@link #comparedDesired()}; empty
   * unless {@link DriftStatus#MODIFIED}.
   */
  public List<PatchOperation> patch() {
    return patch;
  }

  /**
   * A unified diff (live to desired) of the compared YAML, like {@code kubectl diff}; empty when
   * synced. Missing resources show every line added, extraneous ones every line removed.
   */
  public String unifiedDiff() {
    String d = diff;
    if (d == null) {
      resolve();
      String name = fileName();
      String from = comparedLive == null ? "" : Yaml.write(comparedLive);
      String to = comparedDesired == null ? "" : Yaml.write(comparedDesired);
      d =
          status == DriftStatus.SYNCED
              ? ""
              : UnifiedDiff.of("live/" + name, "desired/" + name, from, to);
      diff = d;
    }
    return d;
  }

  private String fileName() {
    String version =
        desired != null ? desired.apiVersion() : live != null ? live.apiVersion() : "v1";
    return version.replace('/', '.')
        + "."
        + key.kind()
        + "."
        + (key.namespace().isEmpty() ? "" : key.namespace() + ".")
        + key.name();
  }

  /** Key, status and number of changes; never a value. */
  @Override
  public String toString() {
    return key
        + " "
        + status.displayName()
        + (status == DriftStatus.MODIFIED ? " (" + patch.size() + " changes)" : "");
  }
}
