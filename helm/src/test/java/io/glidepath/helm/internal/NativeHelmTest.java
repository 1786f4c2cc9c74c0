package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
