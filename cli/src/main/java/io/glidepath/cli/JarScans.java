package io.glidepath.cli;

import io.glidepath.core.internal.render.RendererProviders;
import io.glidepath.core.render.RendererProvider;
import io.glidepath.helm.HelmRendererProvider;
import io.glidepath.kustomize.internal.KustomizeRendererProvider;
import java.util.List;

/**
 * Spares a command the scans of its own jar. The command line ships as one jar of about 40,000
 * entries; the first lookup that misses the class-data archive (a service file, a resource, a class
 * that does not exist) makes the JVM read the jar's whole index, some 40-50 ms of a short run.
 * Three lookups did so on every render, each answered here instead: picocli's probe for Groovy's
 * {@code Closure} class, the JDK's search for an HTTP server provider (the Helm process's null API
 * server), and the search for {@link RendererProvider}s, whose answer for this jar is known.
 */
final class JarScans {
  /** The picocli setting that skips its probe for Groovy's {@code Closure} class. */
  static final String NO_GROOVY_CLOSURES = "picocli.disable.closures";

  private JarScans() {}

  /** The renderer providers the jar's service files name, in their order. */
  static List<RendererProvider> rendererProviders() {
    return List.of(new HelmRendererProvider(), new KustomizeRendererProvider());
  }

  /** Answers the three lookups for this JVM; a property the user set is left as it is. */
  static void avoid() {
    setIfAbsent(NO_GROOVY_CLOSURES, "true");
    setIfAbsent(
        "com.sun.net.httpserver.HttpServerProvider",
        "sun.net.httpserver.DefaultHttpServerProvider");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader != null) {
      RendererProviders.preset(loader, rendererProviders());
    }
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
