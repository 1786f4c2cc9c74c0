package io.glidepath.kube;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The ownership mark Glidepath writes on every resource it applies, in Argo CD's tracking-id
 * format: annotation {@value #ANNOTATION} with value {@code
 * <app>:<group>/<kind>:<namespace>/<name>} (core group and cluster scope are empty strings, e.g.
 * {@code shop:/Namespace:/prod}).
 *
 * <p>A resource is owned by an app only when the annotation names that app <em>and</em> the
 * resource's own group, kind, namespace and name: an annotation or label copied onto another object
 * (by a controller, a copy-paste, a Helm chart) never makes that object owned, so it is never
 * pruned.
 *
 * <p>{@code TrackingId.of("trade-service", resource.key()).value()}
 *
 * @param app the application name
 * @param key the resource the mark belongs to
 */
public record TrackingId(String app, ResourceKey key) {
  /** The annotation key. */
  public static final String ANNOTATION = "glidepath.io/tracking-id";

  public TrackingId {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(key, "key");
    if (app.isBlank() || app.contains(":")) {
      throw new IllegalArgumentException(
          "app must be non-blank without ':', but was '" + app + "'");
    }
  }

  /** The mark for {@code key} in {@code app}. */
  public static TrackingId of(String app, ResourceKey key) {
    return new TrackingId(app, key);
  }

  /** The annotation value. */
  public String value() {
    return app + ":" + key.group() + "/" + key.kind() + ":" + key.namespace() + "/" + key.name();
  }

  /** Parses an annotation value; empty when it is not in the format. */
  public static Optional<TrackingId> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.split(":", 3);
    if (parts.length != 3 || parts[0].isBlank()) {
      return Optional.empty();
    }
    int gk = parts[1].indexOf('/');
    int nn = parts[2].indexOf('/');
    if (gk < 0 || nn < 0) {
      return Optional.empty();
    }
    String kind = parts[1].substring(gk + 1);
    String name = parts[2].substring(nn + 1);
    if (kind.isEmpty() || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new TrackingId(
            parts[0],
            new ResourceKey(parts[1].substring(0, gk), kind, parts[2].substring(0, nn), name)));
  }

  /** The mark on a live resource, when it has a well-formed one. */
  public static Optional<TrackingId> of(Resource live) {
    return parse(live.annotations().get(ANNOTATION));
  }

  /** Whether {@code live} carries this app's mark for itself (not one copied from elsewhere). */
  public static boolean owns(String app, Resource live) {
    return of(live).map(t -> t.app().equals(app) && t.key().equals(live.key())).orElse(false);
  }

  @Override
  public String toString() {
    return value();
  }
}
