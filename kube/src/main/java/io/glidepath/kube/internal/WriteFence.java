package io.glidepath.kube.internal;

import io.glidepath.core.resource.ResourceKey;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fencing check of the work item the current thread works for: {@link KubeApi} calls it
 * immediately before sending every write (and every retry of one), so a replica that lost an item's
 * claim while it was paused sends nothing for it. The scope follows the work onto the shared apply
 * threads ({@link ApplyWorkers}).
 */
public final class WriteFence {
  /** Throws {@link io.glidepath.kube.shard.FencedWriteException} when the write must not go. */
  @FunctionalInterface
  public interface Check {
    void beforeWrite(String method, String path, ResourceKey key);

    /**
     * The owner stamp ({@code <replica>/<epoch>}) to record in the item's own status object, for
     * writes that also carry a resourceVersion precondition; empty when there is none.
     */
    default Optional<String> ownerStamp() {
      return Optional.empty();
    }
  }

  private static final ThreadLocal<Check> CURRENT = new ThreadLocal<>();

  private WriteFence() {}

  /** Runs {@code work} with {@code check} guarding its writes (on this thread and its helpers). */
  public static <T> T under(Check check, Supplier<T> work) {
    Check before = CURRENT.get();
    CURRENT.set(check);
    try {
      return work.get();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The check guarding this thread's writes, if any. */
  public static Optional<Check> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** {@code work} bound to the calling thread's check, to run on another thread. */
  static Runnable carry(Runnable work) {
    Check check = CURRENT.get();
    if (check == null) {
      return work;
    }
    return () ->
        under(
            check,
            () -> {
              work.run();
              return null;
            });
  }

  static void beforeWrite(String method, String path, ResourceKey key) {
    Check check = CURRENT.get();
    if (check != null && !"GET".equals(method)) {
      check.beforeWrite(method, path, key);
    }
  }
}
