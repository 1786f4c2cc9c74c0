package io.glidepath.core.sync;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.Automated;
import io.glidepath.core.app.ManagedNamespaceMetadata;
import io.glidepath.core.app.SyncOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * The application-level inputs of a {@link SyncPlanner}: whether to prune, whether an empty result
 * is allowed, the sync options and the destination namespace.
 *
 * <pre>{@code
 * SyncSettings automated = SyncSettings.of(application);   // prune/allowEmpty from syncPolicy.automated
 * SyncSettings manual = SyncSettings.manual(true, SyncOptions.NONE, "production");
 * }</pre>
 *
 * @param prune delete tracked resources that are gone from Git
 * @param allowEmpty allow a plan that prunes everything and applies nothing
 * @param options application-wide sync options
 * @param destinationNamespace the namespace the application deploys to ({@code ""} if none)
 * @param namespaceMetadata labels and annotations of the namespace {@code CreateNamespace=true}
 *     creates ({@code syncPolicy.managedNamespaceMetadata})
 */
public record SyncSettings(
    boolean prune,
    boolean allowEmpty,
    SyncOptions options,
    String destinationNamespace,
    Optional<ManagedNamespaceMetadata> namespaceMetadata) {
  public SyncSettings {
    Objects.requireNonNull(options, "options");
    destinationNamespace = destinationNamespace == null ? "" : destinationNamespace;
    Objects.requireNonNull(namespaceMetadata, "namespaceMetadata");
  }

  /** Settings without namespace metadata. */
  public SyncSettings(
      boolean prune, boolean allowEmpty, SyncOptions options, String destinationNamespace) {
    this(prune, allowEmpty, options, destinationNamespace, Optional.empty());
  }

  /** The settings of an automated sync of {@code app} (manual apps: no prune, no empty syncs). */
  public static SyncSettings of(Application app) {
    Automated automated = app.syncPolicy().automated().orElse(Automated.DEFAULT);
    return new SyncSettings(
        automated.prune(),
        automated.allowEmpty(),
        app.syncPolicy().syncOptions(),
        app.destination().namespace(),
        app.syncPolicy().managedNamespaceMetadata());
  }

  /** The settings of a sync started by hand. */
  public static SyncSettings manual(boolean prune, SyncOptions options, String namespace) {
    return new SyncSettings(prune, false, options, namespace);
  }
}
