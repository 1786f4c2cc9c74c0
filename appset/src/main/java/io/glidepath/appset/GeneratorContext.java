package io.glidepath.appset;

import io.glidepath.kube.cluster.RegisteredCluster;
import java.nio.file.Path;
import java.util.List;

/**
 * What generators read: the repositories of {@code git} generators and the clusters of {@code
 * clusters} generators. {@link ApplicationSetGenerator} asks for each once per generation.
 *
 * <pre>{@code
 * GeneratorContext ctx = GeneratorContext.of(registry.clusters(), (repoURL, revision) -> checkout);
 * }</pre>
 */
public interface GeneratorContext {
  /** A checkout of {@code repoURL} at {@code revision} ({@code ""}: the default branch, HEAD). */
  Checkout checkout(String repoURL, String revision);

  /**
   * The clusters Argo CD would know: the in-cluster default (no Secret) and every cluster Secret,
   * in that order.
   */
  List<RegisteredCluster> clusters();

  /**
   * A read-only tree of files at one commit.
   *
   * @param root the tree's root directory
   * @param revision the commit it holds ({@code ""} when not a Git commit)
   */
  record Checkout(Path root, String revision) {}

  /** A context of these clusters and repositories. */
  static GeneratorContext of(List<RegisteredCluster> clusters, Repositories repositories) {
    List<RegisteredCluster> copy = List.copyOf(clusters);
    return new GeneratorContext() {
      @Override
      public Checkout checkout(String repoURL, String revision) {
        return repositories.checkout(repoURL, revision);
      }

      @Override
      public List<RegisteredCluster> clusters() {
        return copy;
      }
    };
  }

  /** Where git generators read from. */
  @FunctionalInterface
  interface Repositories {
    Checkout checkout(String repoURL, String revision);

    /** Every repository URL served by one directory as it is on disk (for previews, tests). */
    static Repositories directory(Path root) {
      return (url, rev) -> new Checkout(root, "");
    }
  }
}
