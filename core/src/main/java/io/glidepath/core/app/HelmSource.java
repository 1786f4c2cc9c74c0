package io.glidepath.core.app;

import io.glidepath.core.render.Parameter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Helm options of a source ({@code spec.source.helm}).
 *
 * @param valueFiles value files relative to the source path, later files win
 * @param parameters {@code --set}-style overrides, applied after the value files
 * @param releaseName the release name, when not the application's name
 * @param values inline values YAML, when given
 * @param ignoreMissingValueFiles skip value files that do not exist
 * @param skipCrds do not render the chart's {@code crds/} directory
 */
public record HelmSource(
    List<String> valueFiles,
    List<Parameter> parameters,
    Optional<String> releaseName,
    Optional<String> values,
    boolean ignoreMissingValueFiles,
    boolean skipCrds) {
  public HelmSource {
    valueFiles = List.copyOf(valueFiles);
    parameters = List.copyOf(parameters);
    Objects.requireNonNull(releaseName, "releaseName");
    Objects.requireNonNull(values, "values");
  }

  /** Helm with value files only. */
  public static HelmSource ofValueFiles(String... files) {
    return new HelmSource(
        List.of(files), List.of(), Optional.empty(), Optional.empty(), false, false);
  }

  public HelmSource withParameter(String name, String value) {
    List<Parameter> list = new java.util.ArrayList<>(parameters);
    list.add(Parameter.of(name, value));
    return new HelmSource(valueFiles, list, releaseName, values, ignoreMissingValueFiles, skipCrds);
  }
}
