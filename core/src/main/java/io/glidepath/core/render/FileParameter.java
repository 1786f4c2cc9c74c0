package io.glidepath.core.render;

import java.util.Objects;

/**
 * One file parameter, like Argo CD's {@code spec.source.helm.fileParameters} entry or Helm's {@code
 * --set-file name=path}: the value at {@code name} becomes the text of the file at {@code path}.
 *
 * <pre>{@code
 * FileParameter cert = new FileParameter("tls.certificate", "certs/tls.crt");
 * }</pre>
 *
 * <p>The path is relative to the application directory and must stay inside the repository (checked
 * at render time, like value files). Immutable and thread-safe.
 *
 * @param name a value path, {@code tls.certificate}
 * @param path the file, relative to the application directory
 */
public record FileParameter(String name, String path) {
  public FileParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    if (name.isBlank()) {
      throw new IllegalArgumentException("file parameter name must not be blank");
    }
    if (path.isBlank()) {
      throw new IllegalArgumentException("file parameter path must not be blank");
    }
  }
}
