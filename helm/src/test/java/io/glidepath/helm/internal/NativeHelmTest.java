package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeHelmTest {
  @Test
  void jnaIsGivenItsSearchPathSoItDoesNotRunLdconfig() {
    String before = System.getProperty(NativeHelm.JNA_PLATFORM_PATH);
    System.clearProperty(NativeHelm.JNA_PLATFORM_PATH);
    try {
      NativeHelm.jnaWithoutLdconfig();

      if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
        // JNA runs /sbin/ldconfig -p only when this property is unset
        assertThat(System.getProperty(NativeHelm.JNA_PLATFORM_PATH))
            .isEqualTo(
                String.join(
                    java.io.File.pathSeparator,
                    NativeHelm.searchPath(java.nio.file.Files::isDirectory)));
      } else {
        assertThat(System.getProperty(NativeHelm.JNA_PLATFORM_PATH)).isNull();
      }
    } finally {
      if (before == null) {
        System.clearProperty(NativeHelm.JNA_PLATFORM_PATH);
      } else {
        System.setProperty(NativeHelm.JNA_PLATFORM_PATH, before);
      }
    }
  }

  @Test
  void aSearchPathSetAlreadyIsKept() {
    String before = System.getProperty(NativeHelm.JNA_PLATFORM_PATH);
    System.setProperty(NativeHelm.JNA_PLATFORM_PATH, "/opt/mine");
    try {
      NativeHelm.jnaWithoutLdconfig();

      assertThat(System.getProperty(NativeHelm.JNA_PLATFORM_PATH)).isEqualTo("/opt/mine");
    } finally {
      if (before == null) {
        System.clearProperty(NativeHelm.JNA_PLATFORM_PATH);
      } else {
        System.setProperty(NativeHelm.JNA_PLATFORM_PATH, before);
      }
    }
  }

  @Test
  void theSearchPathHoldsTheDirectoriesThatExistInJnasOrder() {
    List<String> all = NativeHelm.searchPath(p -> true);
    assertThat(all).endsWith("/usr/lib64", "/lib64", "/usr/lib", "/lib");

    assertThat(NativeHelm.searchPath(p -> p.toString().equals("/usr/lib")))
        .containsExactly("/usr/lib");
  }

  @Test
  void namesPlatformsAsHelmJavaPublishesThem() {
    assertThat(NativeHelm.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm64");
    assertThat(NativeHelm.platform("Mac OS X", "x86_64")).isEqualTo("darwin-amd64");
    assertThat(NativeHelm.platform("Linux", "aarch64")).isEqualTo("linux-arm64");
    assertThat(NativeHelm.platform("Linux", "amd64")).isEqualTo("linux-amd64");
    assertThat(NativeHelm.platform("Windows 11", "amd64")).isEqualTo("windows-amd64");
  }

  @Test
  void theLibraryOfThisPlatformIsEnough() {
    assertThat(
            NativeHelm.problem(
                "linux-arm64", List.of("helm-linux-amd64.so", "helm-linux-arm64.so")))
        .isNull();
  }

  @Test
  void aMissingLibraryNamesTheArtifactToAdd() {
    assertThat(NativeHelm.problem("darwin-arm64", List.of("helm-linux-amd64.so")))
        .isEqualTo(
            "the embedded Helm engine needs its native library for darwin-arm64, and the class"
                + " path holds [helm-linux-amd64.so]: add the dependency"
                + " com.marcnuri.helm-java:darwin-arm64 (the version of helm-java that"
                + " glidepath-helm uses) to your build");
  }

  @Test
  void anUnsupportedPlatformIsSaidPlainly() {
    assertThat(NativeHelm.problem("linux-s390x", List.of()))
        .startsWith("the embedded Helm engine has no native library for linux-s390x")
        .contains("darwin-amd64, darwin-arm64, linux-amd64, linux-arm64, windows-amd64")
        .contains("none is on the class path");
  }

  @Test
  void thisMachinesLibraryIsFoundAndNothingIsDownloaded() {
    NativeHelm.check();

    assertThat(System.getProperty("com.marcnuri.jkube-helm.skipRemoteJar")).isEqualTo("true");
  }

  @Test
  void theWorkerJarAnswersTheLibraryCheckOnlyWhenItNamesThisPlatformsLibraryInAJarThatExists(
      @TempDir Path dir) throws Exception {
    String mine =
        "helm-"
            + NativeHelm.platform(System.getProperty("os.name"), System.getProperty("os.arch"))
            + ".so";
    Files.writeString(dir.resolve("cli.jar"), "stands in for the jar holding the library");

    assertThat(NativeHelm.namesThisPlatformsLibrary(workerJar(dir, "w1.jar", mine, "cli.jar")))
        .isTrue();
    assertThat(
            NativeHelm.namesThisPlatformsLibrary(
                workerJar(dir, "w2.jar", "helm-plan9-mips.so", "cli.jar")))
        .as("another platform's library")
        .isFalse();
    assertThat(NativeHelm.namesThisPlatformsLibrary(workerJar(dir, "w3.jar", mine, "gone.jar")))
        .as("a library jar that is not there")
        .isFalse();
    assertThat(NativeHelm.namesThisPlatformsLibrary(workerJar(dir, "w4.jar", null, null)))
        .as("no library entry")
        .isFalse();
    assertThat(NativeHelm.namesThisPlatformsLibrary(dir.resolve("missing.jar").toString()))
        .isFalse();
    Files.writeString(dir.resolve("garbage.jar"), "not a jar");
    assertThat(NativeHelm.namesThisPlatformsLibrary(dir.resolve("garbage.jar").toString()))
        .isFalse();
  }

  private static String workerJar(Path dir, String name, String file, String libraryJar)
      throws Exception {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("io/glidepath/Placeholder.txt"));
      out.write(1);
      if (file != null) {
        out.putNextEntry(new JarEntry(WorkerJar.LIBRARY));
        new WorkerJar.NativeLibraryEntry(file, 10, 0xabc, libraryJar).properties().store(out, null);
      }
    }
    return jar.toString();
  }
}
