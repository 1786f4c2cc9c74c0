package io.glidepath.core.sync;

import io.glidepath.core.resource.ResourceKey;
import java.util.Objects;

/**
 * A resource the plan leaves alone, and why ({@code "Prune=false"}, {@code "pruning is disabled"}).
 *
 * @param key the resource
 * @param action what would have been done
 * @param reason why it is not
 */
public record SkippedResource(ResourceKey key, SyncAction action, String reason) {
  public SkippedResource {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
  }
}
