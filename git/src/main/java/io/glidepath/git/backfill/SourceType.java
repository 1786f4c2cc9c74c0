package io.glidepath.git.backfill;

/** How an application's manifests are produced, which decides how a backfill writes them. */
public enum SourceType {
  /** A directory of YAML manifests: the manifest file is edited in place. */
  PLAIN_YAML,
  /** A Kustomize overlay: a strategic-merge patch is added to the overlay. */
  KUSTOMIZE,
  /** A Helm chart: nothing is written; the values keys to change are reported. */
  HELM
}
