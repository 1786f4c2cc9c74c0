package io.glidepath.kube.controller;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one reconcile of an application.
 *
 * @param app the application
 * @param revision the desired revision looked at, or "" when it could not be fetched
 * @param inSync whether the live state matched Git after the reconcile
 * @param synced whether this reconcile ran a sync
 * @param lastSyncedRevision the revision of the last successful sync, if any (survives restarts)
 * @param reconciledAt when, on the controller's clock
 * @param message what happened, for people
 * @param conditions problems found (project violations, a blocking sync window); empty when none
 * @param sourceType how the desired state was rendered (Helm, Kustomize, directory), when the
 *     {@link DesiredStateSource} says
 * @param summary the images and external URLs of the app's resources as last compared ({@link
 *     AppSummary#EMPTY} before the first comparison)
 */
public record AppStatus(
    String app,
    String revision,
    boolean inSync,
    boolean synced,
    Optional<String> lastSyncedRevision,
    Instant reconciledAt,
    String message,
    List<AppCondition> conditions,
    Optional<SourceType> sourceType,
    AppSummary summary) {
  public AppStatus {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(lastSyncedRevision, "lastSyncedRevision");
    Objects.requireNonNull(reconciledAt, "reconciledAt");
    message = message == null ? "" : message;
    conditions = List.copyOf(conditions);
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(summary, "summary");
  }

  /** A status without source type and summary. */
  public AppStatus(
      String app,
      String revision,
      boolean inSync,
      boolean synced,
      Optional<String> lastSyncedRevision,
      Instant reconciledAt,
      String message,
      List<AppCondition> conditions) {
    this(
        app,
        revision,
        inSync,
        synced,
        lastSyncedRevision,
        reconciledAt,
        message,
        conditions,
        Optional.empty(),
        AppSummary.EMPTY);
  }

  /** A status without conditions, source type and summary. */
  public AppStatus(
      String app,
      String revision,
      boolean inSync,
      boolean synced,
      Optional<String> lastSyncedRevision,
      Instant reconciledAt,
      String message) {
    this(app, revision, inSync, synced, lastSyncedRevision, reconciledAt, message, List.of());
  }

  /** This status with {@code sourceType} and {@code summary}. */
  public AppStatus withSummary(Optional<SourceType> sourceType, AppSummary summary) {
    return new AppStatus(
        app,
        revision,
        inSync,
        synced,
        lastSyncedRevision,
        reconciledAt,
        message,
        conditions,
        sourceType,
        summary);
  }
}
