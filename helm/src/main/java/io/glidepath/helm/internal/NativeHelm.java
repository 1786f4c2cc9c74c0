package io.glidepath.helm.internal;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.glidepath.core.render.RenderException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

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
    String workerJar = System.getProperty(WorkerJar.PROPERTY);
    if (workerJar == null || workerJar.isBlank() || !namesThisPlatformsLibrary(workerJar)) {
      platformLibrary();
    }
    checked = true;
  }

  /**
   * Whether the Helm process's own jar {@code workerJar} ({@link WorkerJar}) names this platform's
   * library in a jar that exists. That jar was written from the command line's class path when the
   * two were built, so it answers what the service lookup of {@link #platformLibrary} would,
   * without the lookup's scan of every jar on the class path (the command line's own holds about
   * 40,000 entries: indexing it is a good part of a short render).
   */
  static boolean namesThisPlatformsLibrary(String workerJar) {
    try {
      Path jarPath = Path.of(workerJar);
      if (!Files.isRegularFile(jarPath)) {
        return false;
      }
      Properties p = new Properties();
      try (JarFile jar = new JarFile(jarPath.toFile())) {
        ZipEntry entry = jar.getEntry(WorkerJar.LIBRARY);
        if (entry == null) {
          return false;
        }
        try (InputStream in = jar.getInputStream(entry)) {
          p.load(in);
        }
      }
      String prefix =
          "helm-" + platform(System.getProperty("os.name"), System.getProperty("os.arch")) + ".";
      // no lambdas: this runs once per render in a fresh JVM, where each would be spun anew
      Optional<WorkerJar.NativeLibraryEntry> named = WorkerJar.NativeLibraryEntry.from(p);
      if (named.isEmpty()) {
        return false;
      }
      WorkerJar.NativeLibraryEntry e = named.get().resolvedAgainst(jarPath);
      return e.file().startsWith(prefix) && Files.isRegularFile(Path.of(e.jar()));
    } catch (IOException | InvalidPathException e) {
      return false;
    }
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
        LibraryCache cache = LibraryCache.configured();
        jnaFromCache(cache);
        jnaWithoutLdconfig();
        HelmLib loaded;
        Optional<WorkerJar.NativeLibraryEntry> named = workerJarLibrary(binary);
        if (named.isPresent()) {
          // the Helm process on its own small jar: the library is named there, its copy found in
          // the cache without opening the jar that holds it
          WorkerJar.NativeLibraryEntry e = named.get();
          URL source = jarEntry(e);
          try {
            loaded = Native.load(cache.fileOf(e, source).toString(), HelmLib.class);
          } catch (UnsatisfiedLinkError noexec) {
            loaded = Native.load(LibraryCache.OFF.fileOf(e, source).toString(), HelmLib.class);
          }
        } else {
          URL resource = platformLibrary.getClass().getResource("/" + binary);
          if (resource == null) {
            throw new RenderException(
                "the embedded Helm engine's library " + binary + " is missing from its jar",
                null,
                null);
          }
          try {
            loaded = Native.load(cache.fileOf(resource, binary).toString(), HelmLib.class);
          } catch (UnsatisfiedLinkError e) {
            // a cache on a file system that refuses to map libraries (noexec): helm-java's way
            loaded =
                Native.load(LibraryCache.OFF.fileOf(resource, binary).toString(), HelmLib.class);
          }
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

  /** JNA's search path for libraries loaded by name; set, JNA does not compute its own. */
  static final String JNA_PLATFORM_PATH = "jna.platform.library.path";

  /**
   * Sets JNA's search path for libraries loaded by name ({@value #JNA_PLATFORM_PATH}) on Linux,
   * unless it is set already: JNA would otherwise run {@code /sbin/ldconfig -p} (a process, about
   * 10-20 ms) at its start to add the directories of the loader's cache to the ones below. The Helm
   * engine is loaded by its full path and loads nothing by name through JNA, so the search path is
   * never used by a render; it holds the directories JNA would list first, where they exist.
   */
  static void jnaWithoutLdconfig() {
    if (System.getProperty(JNA_PLATFORM_PATH) != null
        || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return;
    }
    System.setProperty(
        JNA_PLATFORM_PATH, String.join(java.io.File.pathSeparator, searchPath(Files::isDirectory)));
  }

  /**
   * The library directories of a Linux system that {@code exists}: the multi-arch ones of this
   * architecture, then {@code /usr/lib64}, {@code /lib64}, {@code /usr/lib}, {@code /lib}.
   */
  static List<String> searchPath(java.util.function.Predicate<Path> exists) {
    String arch = System.getProperty("os.arch", "");
    String multiArch =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64-linux-gnu";
          case "aarch64", "arm64" -> "aarch64-linux-gnu";
          default -> "";
        };
    List<String> candidates = new ArrayList<>();
    if (!multiArch.isEmpty()) {
      candidates.add("/usr/lib/" + multiArch);
      candidates.add("/lib/" + multiArch);
    }
    candidates.addAll(List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib"));
    return candidates.stream().filter(c -> exists.test(Path.of(c))).toList();
  }

  /**
   * The Helm engine's library as the worker's own jar names it ({@link WorkerJar}), when this
   * process runs on that jar and its entry names {@code binary}.
   */
  static Optional<WorkerJar.NativeLibraryEntry> workerJarLibrary(String binary) {
    URL entry = NativeHelm.class.getResource("/" + WorkerJar.LIBRARY);
    if (entry == null) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = entry.openStream()) {
      p.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    return WorkerJar.NativeLibraryEntry.from(p)
        .filter(e -> e.file().equals(binary))
        .map(e -> e.resolvedAgainst(jarOf(entry)));
  }

  /** The jar file a {@code jar:file:...!/entry} URL points into, else null. */
  private static Path jarOf(URL url) {
    String s = url.toString();
    int bang = s.indexOf("!/");
    if (!s.startsWith("jar:file:") || bang < 0) {
      return null;
    }
    try {
      return Path.of(new URI(s.substring(4, bang)));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static URL jarEntry(WorkerJar.NativeLibraryEntry e) {
    try {
      return new URL("jar:" + Path.of(e.jar()).toUri() + "!/" + e.file());
    } catch (java.net.MalformedURLException bad) {
      throw new RenderException(
          "the Helm process's jar names an unusable library jar " + e.jar(), null, bad);
    }
  }

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
