package io.glidepath.kube.controller;

import io.glidepath.core.app.Application;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.internal.ApplicationObjectFeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where a {@link ControllerManager} gets its Applications: a fixed list, Application files, the
 * cluster's Argo CD {@code Application} objects, or anything that generates them (an ApplicationSet
 * controller). A feed tells its {@link Sink} about apps as they come and go; the manager runs one
 * controller per app name.
 *
 * <pre>{@code
 * ControllerManager manager = ControllerManager.builder(cluster)
 *     .sources(app -> GitDesiredStateSource.of(git, app).withoutFetch())
 *     .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
 *     .build();
 * }</pre>
 */
public interface ApplicationFeed extends AutoCloseable {
  /** What a feed tells about its apps. Thread-safe. */
  interface Sink {
    /**
     * An app to run: added, or, when an app of that name runs with another spec, replaced (its
     * controller stopped and a new one started).
     */
    void put(Application app);

    /** The app of that name is no longer wanted: its controller stops. */
    void remove(String name);
  }

  /** Starts telling {@code sink} about the feed's apps (the ones it has now first). */
  void start(Sink sink);

  /** Stops telling; does nothing by default. */
  @Override
  default void close() {}

  /** These apps, once. */
  static ApplicationFeed of(Collection<Application> apps) {
    List<Application> copy = List.copyOf(apps);
    return sink -> copy.forEach(sink::put);
  }

  /**
   * The Application manifests in {@code paths}: each a file, or a directory whose {@code .yaml} and
   * {@code .yml} files (not below) are read, in name order, once when the feed starts.
   *
   * @throws io.glidepath.core.app.ApplicationException naming the file when one is not a valid
   *     Application (nothing is started then)
   */
  static ApplicationFeed files(Path... paths) {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      Objects.requireNonNull(p, "path");
      if (Files.isDirectory(p)) {
        try (Stream<Path> list = Files.list(p)) {
          list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        files.add(p);
      }
    }
    return sink -> {
      List<Application> apps = files.stream().map(Application::read).toList();
      apps.forEach(sink::put);
    };
  }

  /**
   * The cluster's Argo CD {@code Application} objects in {@code namespace} (every namespace when
   * empty), as Argo CD's controller takes them: one informer (list, then watch) keeping a small
   * stand-in per object; an object created adds its app, one deleted removes it. Spec edits are not
   * fed: each app's controller follows its own object ({@link ApplicationController}). An object
   * whose spec cannot be read still gets a controller, which reports it as {@code
   * InvalidSpecError}.
   */
  static ApplicationFeed applicationObjects(KubeCluster cluster, String namespace) {
    return ApplicationObjectFeed.of(cluster, namespace);
  }
}
