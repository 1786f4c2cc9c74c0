package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm render process on its own small jar, built from this JVM's class path. */
class WorkerJarIT {
  private static final String PLATFORM =
      NativeHelm.platform(System.getProperty("os.name"), System.getProperty("os.arch"));

  @TempDir static Path tmp;
  private static Path jar;
  private static List<String> entries;

  @BeforeAll
  static void buildTheJar() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
      sources.add(Path.of(p));
    }
    jar = tmp.resolve("lib").resolve(WorkerJar.FILE_NAME);
    WorkerJar.write(sources, jar);
    try (JarFile j = new JarFile(jar.toFile())) {
      entries = j.stream().map(e -> e.getName()).toList();
    }
  }

  @Test
  void theJarHoldsTheWorkerAndWhatItReachesAndNothingElse() {
    assertThat(entries)
        .contains(
            "io/glidepath/helm/internal/HelmWorker.class",
            "io/glidepath/helm/internal/NativeHelm.class",
            "io/glidepath/helm/internal/LibraryCache.class",
            "io/glidepath/core/render/RenderException.class",
            "com/marcnuri/helm/TemplateCommand.class",
            WorkerJar.SERVICES,
            "com/sun/jna/Native.class",
            "com/sun/jna/"
                + com.sun.jna.Platform.RESOURCE_PREFIX
                + "/"
                + System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib"),
            WorkerJar.LIBRARY)
        .doesNotContain(
            "helm-" + PLATFORM + ".so", // named, not copied: 95 MB
            "io/glidepath/helm/HelmRenderer.class",
            "io/glidepath/core/yaml/Yaml.class",
            "com/sun/jna/aix-ppc64/libjnidispatch.a")
        .noneMatch(
            e ->
                e.startsWith("org/slf4j/")
                    || e.startsWith("tools/jackson/")
                    || e.startsWith("com/sun/jna/platform/"));
    assertThat(entries.size()).isLessThan(1000);
  }

  @Test
  void theWorkersOwnClassesConcatenateWithoutMethodHandles() throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      for (String name : entries) {
        if (name.startsWith("io/glidepath/helm/") && name.endsWith(".class")) {
          byte[] bytes = j.getInputStream(j.getEntry(name)).readAllBytes();
          // an invokedynamic concatenation spins classes at the start of every Helm process
          assertThat(WorkerJar.referencedTypes(bytes))
              .as(name)
              .doesNotContain("java/lang/invoke/StringConcatFactory");
        }
      }
    }
  }

  @Test
  void theJarNamesTheLibraryItLeavesOutBySizeAndChecksum() throws IOException {
    Properties p = new Properties();
    try (JarFile j = new JarFile(jar.toFile())) {
      p.load(j.getInputStream(j.getEntry(WorkerJar.LIBRARY)));
    }
    WorkerJar.NativeLibraryEntry named =
        WorkerJar.NativeLibraryEntry.from(p).orElseThrow().resolvedAgainst(jar);

    try (JarFile holder = new JarFile(named.jar())) {
      var entry = holder.getEntry(named.file());
      assertThat(entry.getSize()).isEqualTo(named.size());
      assertThat(entry.getCrc()).isEqualTo(named.crc());
    }
  }

  @Test
  void theProcessRendersAndReportsHelmErrorsFromItsJarAlone() throws Exception {
    Path values = Files.writeString(tmp.resolve("values.yaml"), "{}\n");
    Path charts = Path.of("src/test/resources/charts").toAbsolutePath();
    byte[] good =
        HelmProcess.encode(
            new HelmProcess.Request(
                charts.resolve("hooks"), values, "web", "default", Optional.empty(), false));
    byte[] bad =
        HelmProcess.encode(
            new HelmProcess.Request(
                charts.resolve("broken"), values, "web", "default", Optional.empty(), false));
    Path requests = tmp.resolve("requests");
    Files.write(requests, concat(good, bad));
    Path cache = tmp.resolve("cache");
    Path classes = tmp.resolve("classes.log");
    Path answers = tmp.resolve("answers");

    Process worker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + classes,
                "-D" + LibraryCache.PROPERTY + "=" + cache,
                "-cp",
                jar.toString(),
                HelmWorker.class.getName(),
                "10000000")
            .redirectInput(requests.toFile())
            .redirectOutput(answers.toFile())
            .redirectError(tmp.resolve("errors").toFile())
            .start();
    assertThat(worker.waitFor(120, TimeUnit.SECONDS)).isTrue();

    String out = Files.readString(answers, StandardCharsets.UTF_8);
    assertThat(worker.exitValue()).as(out).isZero();
    assertThat(out).contains(HelmWorker.HEADER + "ok ").contains("kind: ConfigMap");
    assertThat(out).contains(HelmWorker.HEADER + "error ");
    // every class of the application came from the worker's jar
    try (Stream<String> lines = Files.lines(classes)) {
      assertThat(lines.filter(l -> l.contains("source: file:") || l.contains("source: jar:")))
          .isNotEmpty()
          .allMatch(l -> l.contains(jar.toUri().getPath()), "from " + jar);
    }
    // the library was copied once into the cache it was given, under its versioned name
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(n -> n.matches("helm-" + PLATFORM + "-\\d+-[0-9a-f]+\\..+"));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
