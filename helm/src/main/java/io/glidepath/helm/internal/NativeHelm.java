package io.glidepath.helm.internal;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.glidepath.core.render.RenderException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds the embedded Helm engine's native library for this platform on the class path, and says
 * clearly what to add when there is none. helm-java would otherwise download the library from Maven
 * Central at the first render; Glidepath never lets it ({@code
 * com.marcnuri.jkube-helm.skipRemoteJar}). The library is loaded from the user's {@link
 * LibraryCache}, not copied out of its jar again at every start as helm-java would.
 */
public final class NativeHelm {
  /** helm-java's native library artifacts, by platform. */
  static final List<String> PLATFORMS =
      List.of("darwin-amd64", "darwin-arm64", "linux-amd64", "linux-arm64", "windows-amd64");

  private static volatile boolean checked;
  private static volatile HelmLib library;

  private NativeHelm() {}

  /** Throws a {@link RenderException} naming the artifact to add when this platform has none. */
  public static void check() {
    if (checked) {
      return;
    }
    platformLibrary();
    checked = true;
  }

  /**
   * The Helm engine, loaded on the first call (from the {@link LibraryCache}) and kept for the life
   * of the JVM; a {@link RenderException} naming the artifact to add when this platform has none.
   */
  public static HelmLib library() {
    HelmLib lib = library;
    if (lib != null) {
      return lib;
    }
    synchronized (NativeHelm.class) {
      if (library == null) {
        NativeLibrary platformLibrary = platformLibrary();
        String binary = platformLibrary.getBinaryName();
        URL resource = platformLibrary.getClass().getResource("/" + binary);
        if (resource == null) {
          throw new RenderException(
              "the embedded Helm engine's library " + binary + " is missing from its jar",
              null,
              null);
        }
        LibraryCache cache = LibraryCache.configured();
        jnaFromCache(cache);
        HelmLib loaded;
        try {
          loaded = Native.load(cache.fileOf(resource, binary).toString(), HelmLib.class);
        } catch (UnsatisfiedLinkError e) {
          // a cache on a file system that refuses to map libraries (noexec): helm-java's way
          loaded = Native.load(LibraryCache.OFF.fileOf(resource, binary).toString(), HelmLib.class);
        }
        // as helm-java does: stop the chart repository servers a command may have started
        Runtime.getRuntime().addShutdownHook(new Thread(loaded::RepoServerStopAll, "helm-stop"));
        library = loaded;
        checked = true;
      }
      return library;
    }
  }

  /**
   * Points JNA at a copy of its own native library in {@code cache} ({@code
   * jna.boot.library.path}), unless the property is set already: JNA would otherwise copy it out of
   * its jar into a new temporary file at every start. Without a cache (or a copy), JNA does as it
   * always does. JNA checks that the library it loads is its own version; the copy is of the very
   * jar JNA's classes come from.
   */
  static void jnaFromCache(LibraryCache cache) {
    if (System.getProperty(JNA_BOOT_PATH) != null) {
      return;
    }
    String file = System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib");
    URL resource =
        Native.class.getResource("/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + file);
    if (resource != null) {
      cache
          .directoryOf(resource, file)
          .ifPresent(dir -> System.setProperty(JNA_BOOT_PATH, dir.toString()));
    }
  }

  private static final String JNA_BOOT_PATH = "jna.boot.library.path";

  private static NativeLibrary platformLibrary() {
    System.setProperty("com.marcnuri.jkube-helm.skipRemoteJar", "true");
    String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    List<String> found = new ArrayList<>();
    NativeLibrary mine = null;
    ClassLoader loader = NativeHelm.class.getClassLoader();
    for (NativeLibrary library : ServiceLoader.load(NativeLibrary.class, loader)) {
      found.add(library.getBinaryName());
      if (mine == null && library.getBinaryName().startsWith("helm-" + platform + ".")) {
        mine = library;
      }
    }
    String problem = problem(platform, found);
    if (problem != null) {
      throw new RenderException(problem, null, null);
    }
    return mine; // not null: no problem means this platform's library was found
  }

  /** {@code linux-amd64} and the like, or the raw names when helm-java has no such platform. */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    String o =
        os.startsWith("mac") || os.contains("darwin")
            ? "darwin"
            : os.startsWith("windows") ? "windows" : os.contains("linux") ? "linux" : os;
    String a =
        arch.equals("amd64") || arch.equals("x86_64")
            ? "amd64"
            : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch;
    return o + "-" + a;
  }

  /**
   * What is wrong, or null: the native libraries found on the class path ({@code
   * helm-linux-amd64.so}, ...) against the platform this JVM runs on.
   */
  static String problem(String platform, List<String> binaries) {
    for (String binary : binaries) {
      if (binary.startsWith("helm-" + platform + ".")) {
        return null;
      }
    }
    String found =
        binaries.isEmpty() ? "none is on the class path" : "the class path holds " + binaries;
    if (!PLATFORMS.contains(platform)) {
      return "the embedded Helm engine has no native library for "
          + platform
          + " (helm-java publishes "
          + String.join(", ", PLATFORMS)
          + "); "
          + found
          + ". Render Helm charts on a supported platform.";
    }
    return "the embedded Helm engine needs its native library for "
        + platform
        + ", and "
        + found
        + ": add the dependency com.marcnuri.helm-java:"
        + platform
        + " (the version of helm-java that glidepath-helm uses) to your build";
  }
}
