package io.glidepath.core.app;

import java.util.Objects;
import java.util.Optional;

/**
 * When and how an Application syncs ({@code spec.syncPolicy}).
 *
 * <pre>{@code
 * SyncPolicy p = new SyncPolicy(
 *     Optional.of(new Automated(true, true, false)),
 *     SyncOptions.of("CreateNamespace=true", "ServerSideApply=true"),
 *     Optional.of(new Retry(3, Retry.Backoff.DEFAULT)));
 * }</pre>
 *
 * @param automated automated sync, when enabled; empty means manual sync only
 * @param syncOptions application-wide sync options
 * @param retry retries of a failed sync, when configured
 * @param managedNamespaceMetadata labels and annotations of the namespace {@code
 *     CreateNamespace=true} creates, when given
 */
public record SyncPolicy(
    Optional<Automated> automated,
    SyncOptions syncOptions,
    Optional<Retry> retry,
    Optional<ManagedNamespaceMetadata> managedNamespaceMetadata) {
  /** Manual sync, no options, no retry. */
  public static final SyncPolicy MANUAL =
      new SyncPolicy(Optional.empty(), SyncOptions.NONE, Optional.empty());

  public SyncPolicy {
    Objects.requireNonNull(automated, "automated");
    Objects.requireNonNull(syncOptions, "syncOptions");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(managedNamespaceMetadata, "managedNamespaceMetadata");
  }

  /** A policy without managed namespace metadata. */
  public SyncPolicy(Optional<Automated> automated, SyncOptions syncOptions, Optional<Retry> retry) {
    this(automated, syncOptions, retry, Optional.empty());
  }

  public boolean isAutomated() {
    return automated.isPresent();
  }
}
