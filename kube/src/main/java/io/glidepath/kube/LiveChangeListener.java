package io.glidepath.kube;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import java.util.Optional;

/**
 * Told when a resource an app owns changes in the cluster: created, modified (by anyone, including
 * a manual edit to revert), or deleted ({@code live} empty). Called on the informer's event thread,
 * which every watch of that kind on the cluster shares (or, for the objects already cached when a
 * watch starts, on the thread starting it); must be fast and never throw (hand the work to your own
 * executor).
 */
@FunctionalInterface
public interface LiveChangeListener {
  /** {@code key} changed; {@code live} is the new state, empty when it was deleted. */
  void changed(ResourceKey key, Optional<Resource> live);
}
