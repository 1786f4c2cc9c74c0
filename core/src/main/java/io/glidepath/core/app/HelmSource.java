package io.glidepath.core.app;

import io.glidepath.core.render.FileParameter;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.values.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Helm options of a source ({@code spec.source.helm}), with Argo CD's meaning.
 *
 * <p>Values are merged as Argo CD passes them to {@code helm template}: the chart's {@code
 * values.yaml}, then {@code valueFiles} in order, then the inline values ({@code valuesObject} when
 * set, else {@code values}), then {@code parameters} ({@code --set}, then {@code --set-string} for
 * the {@code forceString} ones), then {@code fileParameters} ({@code --set-file}).
 *
 * <pre>{@code
 * HelmSource h = HelmSource.ofValueFiles("values.yaml", "values-production.yaml")
 *     .withParameter("image.tag", "abc123");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param valueFiles value files relative to the source path, later files win
 * @param parameters {@code --set}-style overrides, applied after the value files
 * @param releaseName the release name, when not the application's name
 * @param values inline values YAML, when given (must be a mapping)
 * @param ignoreMissingValueFiles skip value files that do not exist
 * @param skipCrds do not render the chart's {@code crds/} directory
 * @param valuesObject inline values as a mapping; wins over {@code values} when both are set
 * @param fileParameters {@code --set-file}-style overrides, paths relative to the source path
 * @param version the Helm major version; only {@code v3} (Glidepath's Helm) is accepted
 * @param passCredentials pass a chart repository's credentials also to hosts other than its own
 *     (Helm's {@code --pass-credentials}); without it they go to the repository's host only
 * @param namespace the namespace to template with ({@code .Release.Namespace}), when not the
 *     destination namespace
 * @param kubeVersion the Kubernetes version for {@code .Capabilities.KubeVersion}
 * @param apiVersions API versions for {@code .Capabilities.APIVersions}; the embedded Helm cannot
 *     take them, so a render that asks for them warns that they were not applied
 * @param skipTests leave test hooks ({@code helm.sh/hook: test}) out of the rendered manifests
 *     ({@code helm template --skip-tests}); they are never synced either way
 * @param skipSchemaValidation do not validate values against the charts' {@code values.schema.json}
 *     (Helm's {@code --skip-schema-validation})
 */
public record HelmSource(
    List<String> valueFiles,
    List<Parameter> parameters,
    Optional<String> releaseName,
    Optional<String> values,
    boolean ignoreMissingValueFiles,
    boolean skipCrds,
    Optional<Values> valuesObject,
    List<FileParameter> fileParameters,
    Optional<String> version,
    boolean passCredentials,
    Optional<String> namespace,
    Optional<String> kubeVersion,
    List<String> apiVersions,
    boolean skipTests,
    boolean skipSchemaValidation) {
  public HelmSource {
    valueFiles = List.copyOf(valueFiles);
    parameters = List.copyOf(parameters);
    Objects.requireNonNull(releaseName, "releaseName");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(valuesObject, "valuesObject");
    fileParameters = List.copyOf(fileParameters);
    Objects.requireNonNull(version, "version");
    version.ifPresent(
        v -> {
          if (!v.equals("v3")) {
            throw new IllegalArgumentException(
                "must be v3 (Glidepath renders with Helm 3), but was \"" + v + "\"");
          }
        });
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kubeVersion, "kubeVersion");
    apiVersions = List.copyOf(apiVersions);
  }

  /** Helm options with Argo CD's first six fields; the later ones unset. */
  public HelmSource(
      List<String> valueFiles,
      List<Parameter> parameters,
      Optional<String> releaseName,
      Optional<String> values,
      boolean ignoreMissingValueFiles,
      boolean skipCrds) {
    this(
        valueFiles,
        parameters,
        releaseName,
        values,
        ignoreMissingValueFiles,
        skipCrds,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        false,
        false);
  }

  /** Helm with value files only. */
  public static HelmSource ofValueFiles(String... files) {
    return new HelmSource(
        List.of(files), List.of(), Optional.empty(), Optional.empty(), false, false);
  }

  public HelmSource withParameter(String name, String value) {
    List<Parameter> list = new ArrayList<>(parameters);
    list.add(Parameter.of(name, value));
    return new HelmSource(
        valueFiles,
        list,
        releaseName,
        values,
        ignoreMissingValueFiles,
        skipCrds,
        valuesObject,
        fileParameters,
        version,
        passCredentials,
        namespace,
        kubeVersion,
        apiVersions,
        skipTests,
        skipSchemaValidation);
  }

  /** These options with inline values YAML ({@code values}). */
  public HelmSource withValues(String yaml) {
    return new HelmSource(
        valueFiles,
        parameters,
        releaseName,
        Optional.of(yaml),
        ignoreMissingValueFiles,
        skipCrds,
        valuesObject,
        fileParameters,
        version,
        passCredentials,
        namespace,
        kubeVersion,
        apiVersions,
        skipTests,
        skipSchemaValidation);
  }

  /**
   * The inline values Helm gets: {@code valuesObject} when set, else {@code values} parsed, else
   * none (Argo CD's precedence).
   *
   * @throws io.glidepath.core.yaml.YamlException when {@code values} is not a YAML mapping
   */
  public Values inlineValues() {
    if (valuesObject.isPresent()) {
      return valuesObject.get();
    }
    return values
        .filter(v -> !v.isBlank())
        .map(v -> Values.parse(v, "spec.source.helm.values"))
        .orElse(Values.empty());
  }

  /**
   * The options without any value: inline values and parameter values may hold secrets, so only
   * value files, parameter and file parameter names, and the flags are shown.
   */
  @Override
  public String toString() {
    return "HelmSource[valueFiles="
        + valueFiles
        + ", parameters="
        + parameters.stream().map(Parameter::name).toList()
        + ", fileParameters="
        + fileParameters.stream().map(FileParameter::name).toList()
        + ", releaseName="
        + releaseName.orElse("")
        + (values.isPresent() ? ", values=(" + values.get().length() + " chars)" : "")
        + (valuesObject.isPresent() ? ", valuesObject=" + valuesObject.get() : "")
        + (ignoreMissingValueFiles ? ", ignoreMissingValueFiles" : "")
        + (skipCrds ? ", skipCrds" : "")
        + namespace.map(n -> ", namespace=" + n).orElse("")
        + kubeVersion.map(v -> ", kubeVersion=" + v).orElse("")
        + "]";
  }
}
