package io.glidepath.core.internal.render;

import io.glidepath.core.render.RendererProvider;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * The {@link RendererProvider}s a class loader offers, looked up once per loader: a {@link
 * ServiceLoader} scan reads the service files of every jar on the path, and {@link
 * io.glidepath.core.render.ManifestRenderer#detect} runs for every render (one app among thousands
 * rendered again on a commit). Held softly, so a loader that is dropped is not kept. Thread-safe.
 */
public final class RendererProviders {
  private static final Map<ClassLoader, SoftReference<List<RendererProvider>>> BY_LOADER =
      Collections.synchronizedMap(new WeakHashMap<>());

  private RendererProviders() {}

  /** The providers {@code ServiceLoader.load(RendererProvider.class)} finds now, in its order. */
  public static List<RendererProvider> all() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      return load();
    }
    SoftReference<List<RendererProvider>> kept = BY_LOADER.get(loader);
    List<RendererProvider> providers = kept == null ? null : kept.get();
    if (providers == null) {
      providers = load();
      BY_LOADER.put(loader, new SoftReference<>(providers));
    }
    return providers;
  }

  /**
   * Declares that {@code loader} offers exactly {@code providers}, in this order, so that {@link
   * #all} does not look them up: an application that ships in one jar and knows what the jar holds
   * (the command line) spares a short run the scan of the jar's service files. The caller answers
   * for the list being what the lookup would find; held softly like a looked-up list, so under
   * memory pressure the lookup runs again.
   */
  public static void preset(ClassLoader loader, List<RendererProvider> providers) {
    BY_LOADER.put(loader, new SoftReference<>(List.copyOf(providers)));
  }

  private static List<RendererProvider> load() {
    List<RendererProvider> out = new ArrayList<>();
    ServiceLoader.load(RendererProvider.class).forEach(out::add);
    return List.copyOf(out);
  }
}
