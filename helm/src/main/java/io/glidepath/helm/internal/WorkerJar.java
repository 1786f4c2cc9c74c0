package io.glidepath.helm.internal;

import com.sun.jna.Platform;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Writes the class path of the Helm render process: one small jar ({@code
 * glidepath-helm-worker.jar}, a few hundred entries) holding {@link HelmWorker} and the classes it
 * reaches, taken from the jars and directories Glidepath runs from. The process then never opens
 * the command line's jar (tens of thousands of entries, which the JVM indexes whole) to find a
 * class or look up a service.
 *
 * <p>What goes in: every class {@link HelmWorker} and the Helm engine's library classes (the
 * providers of {@code META-INF/services/com.marcnuri.helm.jni.NativeLibrary}) refer to, followed
 * through their constant pools; all of JNA's classes (it finds classes and its own native library
 * by name; not jna-platform's) and its native library for this platform. What stays out: the Helm
 * engine's native library itself (about 95 MB), which the jar names instead in {@value #LIBRARY}
 * (its file name, size and CRC-32 and the jar holding it, relative to this one), so that the
 * process finds its copy in the {@link LibraryCache} by name alone and opens that jar only to make
 * the copy once.
 *
 * <p>Built at package time by the command line's build ({@code ClassDataArchive}); {@code
 * bin/glidepath} names it to the command line's JVM ({@value #PROPERTY}) for {@link HelmProcess} to
 * start the process with it alone.
 */
public final class WorkerJar {
  /** The system property naming the worker's jar; unset: the process gets the full class path. */
  public static final String PROPERTY = "glidepath.helm.workerJar";

  /** The file name the command line's build gives the jar. */
  public static final String FILE_NAME = "glidepath-helm-worker.jar";

  /** The entry naming the Helm engine's native library that the jar leaves out. */
  static final String LIBRARY = "META-INF/glidepath-helm-library.properties";

  static final String SERVICES = "META-INF/services/com.marcnuri.helm.jni.NativeLibrary";
  private static final String JNA = "com/sun/jna/";

  private WorkerJar() {}

  /**
   * Writes the worker's jar to {@code target} from {@code sources} (jars and class directories, the
   * first holding an entry wins, as on a class path); the entry names it holds.
   *
   * @throws IOException when a source cannot be read or the jar cannot be written
   * @throws IllegalStateException when the sources lack the worker or the Helm engine's library
   */
  public static Set<String> write(List<Path> sources, Path target) throws IOException {
    Map<String, Source> index = new LinkedHashMap<>();
    Map<Path, JarFile> open = new LinkedHashMap<>();
    try {
      for (Path source : sources) {
        index(source, index);
      }
      return write(index, open, target);
    } finally {
      for (JarFile jar : open.values()) {
        jar.close();
      }
    }
  }

  private static Set<String> write(Map<String, Source> index, Map<Path, JarFile> open, Path target)
      throws IOException {
    Set<String> chosen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(HelmWorker.class.getName().replace('.', '/') + ".class");
    String services = new String(read(index, open, SERVICES), StandardCharsets.UTF_8);
    chosen.add(SERVICES);
    for (String line : services.split("\n")) {
      String provider = line.replaceAll("#.*", "").strip();
      if (!provider.isEmpty()) {
        todo.add(provider.replace('.', '/') + ".class");
      }
    }
    String natives = JNA + Platform.RESOURCE_PREFIX + "/";
    for (String name : index.keySet()) {
      // JNA's own classes; not jna-platform's (com.sun.jna.platform, a library of its own, which
      // the class files below pull in if they refer to it)
      boolean jnaClass =
          name.startsWith(JNA) && !name.startsWith(JNA + "platform/") && name.endsWith(".class");
      boolean jnaNative = name.startsWith(natives) && !name.endsWith("/");
      if (jnaClass || jnaNative) {
        todo.add(name);
      }
    }
    while (!todo.isEmpty()) {
      String name = todo.poll();
      if (!index.containsKey(name) || !chosen.add(name) || !name.endsWith(".class")) {
        continue;
      }
      for (String referenced : referencedTypes(read(index, open, name))) {
        String entry = referenced + ".class";
        if (index.containsKey(entry) && !chosen.contains(entry)) {
          todo.add(entry);
        }
      }
    }
    NativeLibraryEntry library = nativeLibrary(index, chosen, target);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    manifest.getMainAttributes().putValue("Main-Class", HelmWorker.class.getName());
    try (OutputStream file = Files.newOutputStream(partial);
        JarOutputStream jar = new JarOutputStream(file, manifest)) {
      for (String name : new TreeSet<>(chosen)) {
        jar.putNextEntry(new JarEntry(name));
        jar.write(read(index, open, name));
        jar.closeEntry();
      }
      jar.putNextEntry(new JarEntry(LIBRARY));
      library.properties().store(jar, "the Helm engine's native library, left out of this jar");
      jar.closeEntry();
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    Set<String> written = new LinkedHashSet<>(chosen);
    written.add(LIBRARY);
    return written;
  }

  /** The Helm engine's native library as the worker's jar names it. */
  record NativeLibraryEntry(String file, long size, long crc, String jar) {
    Properties properties() {
      Properties p = new Properties();
      p.setProperty("file", file);
      p.setProperty("size", Long.toString(size));
      p.setProperty("crc", Long.toHexString(crc));
      p.setProperty("jar", jar);
      return p;
    }

    /** This entry with its jar resolved against the worker's jar {@code workerJar}'s directory. */
    NativeLibraryEntry resolvedAgainst(Path workerJar) {
      Path dir = workerJar == null ? null : workerJar.toAbsolutePath().getParent();
      Path resolved = dir == null ? Path.of(jar) : dir.resolve(jar).normalize();
      return new NativeLibraryEntry(file, size, crc, resolved.toString());
    }

    /** Read back from the worker's jar; empty when the entry is missing or incomplete. */
    static Optional<NativeLibraryEntry> from(Properties p) {
      try {
        String file = p.getProperty("file");
        String jar = p.getProperty("jar");
        if (file == null || jar == null) {
          return Optional.empty();
        }
        return Optional.of(
            new NativeLibraryEntry(
                file,
                Long.parseLong(p.getProperty("size", "-1")),
                Long.parseLong(p.getProperty("crc", "-1"), 16),
                jar));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * The native library of the providers chosen (each names its file, {@code helm-linux-amd64.so}):
   * the one of this platform, found in a jar of the sources.
   */
  private static NativeLibraryEntry nativeLibrary(
      Map<String, Source> index, Set<String> chosen, Path target) throws IOException {
    String platform =
        NativeHelm.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    String prefix = "helm-" + platform + ".";
    for (Map.Entry<String, Source> e : index.entrySet()) {
      String name = e.getKey();
      if (name.startsWith(prefix) && !name.endsWith(".h") && e.getValue().jar) {
        try (JarFile jar = new JarFile(e.getValue().path.toFile())) {
          ZipEntry entry = jar.getEntry(name);
          Path dir = target.toAbsolutePath().getParent();
          String relative = dir.relativize(e.getValue().path.toAbsolutePath()).toString();
          return new NativeLibraryEntry(name, entry.getSize(), entry.getCrc(), relative);
        }
      }
    }
    throw new IllegalStateException(
        "the Helm engine's native library for " + platform + " is in none of the sources");
  }

  // ------------------------------------------------------------------ class files

  /**
   * The internal names of the types a class file refers to: its class constants and every type in
   * its descriptors and signatures ({@code Lcom/example/Type;}). More than the JVM needs (a string
   * that looks like a type counts too), never less, save names built at run time.
   */
  static Set<String> referencedTypes(byte[] classFile) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> typesIn(in.readUTF(), out); // Utf8
        case 3, 4 -> in.skipNBytes(4); // Integer, Float
        case 5, 6 -> { // Long, Double take two slots
          in.skipNBytes(8);
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // Class, String, MethodType, Module, Package
        case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // refs, NameAndType, (Invoke)Dynamic
        case 15 -> in.skipNBytes(3); // MethodHandle
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return out;
  }

  private static void typesIn(String utf8, Set<String> out) {
    if (utf8.isEmpty()) {
      return;
    }
    out.add(utf8.startsWith("[") ? utf8.replaceAll("^\\[+L?|;$", "") : utf8);
    int at = utf8.indexOf('L');
    while (at >= 0) {
      int end = utf8.indexOf(';', at);
      if (end < 0) {
        break;
      }
      String candidate = utf8.substring(at + 1, end);
      int generic = candidate.indexOf('<');
      out.add(generic < 0 ? candidate : candidate.substring(0, generic));
      at = utf8.indexOf('L', at + 1);
    }
  }

  // ------------------------------------------------------------------ sources

  private record Source(Path path, boolean jar) {}

  private static void index(Path source, Map<String, Source> index) throws IOException {
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                f ->
                    index.putIfAbsent(
                        source.relativize(f).toString().replace('\\', '/'), dir(source)));
      }
    } else if (Files.isRegularFile(source)) {
      try (JarFile jar = new JarFile(source.toFile())) {
        Enumeration<JarEntry> entries = jar.entries();
        Source s = new Source(source, true);
        while (entries.hasMoreElements()) {
          JarEntry e = entries.nextElement();
          if (!e.isDirectory()) {
            index.putIfAbsent(e.getName(), s);
          }
        }
      }
    }
  }

  private static Source dir(Path source) {
    return new Source(source, false);
  }

  private static byte[] read(Map<String, Source> index, Map<Path, JarFile> open, String name)
      throws IOException {
    Source s = index.get(name);
    if (s == null) {
      throw new IllegalStateException("no source holds " + name);
    }
    if (!s.jar) {
      return Files.readAllBytes(s.path.resolve(name));
    }
    JarFile jar = open.get(s.path);
    if (jar == null) {
      jar = new JarFile(s.path.toFile());
      open.put(s.path, jar);
    }
    try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
      return in.readAllBytes();
    }
  }
}
