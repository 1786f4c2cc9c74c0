package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.Argument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {
  @Test
  void manifestsDecodeDataAndLetStringDataWinByNamespace(@TempDir Path dir) throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("s.yaml"),
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: datadog}
            data: {api-key: YWJj, app-key: ZGVm}
            stringData: {app-key: plain}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tokens, namespace: payments}
            stringData: {grafana: g-token}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: skipped}
            """);
    SecretSource s = SecretSource.fromManifests(List.of(f));
    assertThat(s.secret(Optional.empty(), "datadog"))
        .contains(Map.of("api-key", "abc", "app-key", "plain"));
    assertThat(s.secret(Optional.of("payments"), "datadog")).isEmpty();
    assertThat(s.secret(Optional.of("payments"), "tokens")).isPresent();
    assertThat(s.toString()).doesNotContain("abc").doesNotContain("g-token");
    assertThat(
            s.argumentResolver(Optional.of("payments"))
                .resolve(new Argument.SecretKeyRef("tokens", "grafana")))
        .contains("g-token");
  }

  @Test
  void aMalformedSecretNamesFileAndField(@TempDir Path dir) throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {key: '%%%'}\n");
    assertThatThrownBy(() -> SecretSource.fromManifests(List.of(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("data.key: is not base64");
  }

  @Test
  void orFallsBackForMissingSecrets() {
    SecretSource a = SecretSource.of(Map.of("one", Map.of("k", "1")));
    SecretSource b = SecretSource.of(Map.of("two", Map.of("k", "2")));
    assertThat(a.or(b).secret(Optional.empty(), "two")).contains(Map.of("k", "2"));
    assertThat(a.or(b).secret(Optional.empty(), "one")).contains(Map.of("k", "1"));
  }
}
