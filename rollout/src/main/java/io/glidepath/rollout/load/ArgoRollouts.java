package io.glidepath.rollout.load;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.FieldPositions;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.internal.load.Batch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads Argo Rollouts documents (Rollout of either strategy, AnalysisTemplate,
 * ClusterAnalysisTemplate, AnalysisRun, Experiment) from files, YAML text or parsed resources into
 * Glidepath's typed model, checked at load: every field is either honoured or refused with its
 * file, line and field path (a {@link DocumentRefusedException}); nothing is dropped silently.
 *
 * <pre>{@code
 * ArgoRollouts argo = ArgoRollouts.ofDefaults();
 * RolloutSpec spec = argo.rollout(Path.of("rollout.yaml"), Path.of("templates.yaml"));
 * for (CheckedDocument d : argo.check(List.of(Path.of("rollout.yaml")))) {
 *   System.out.println(d.isRefused() ? d.refusals() : "OK " + d.kind() + " " + d.name());
 * }
 * }</pre>
 *
 * <p>Documents of one call see each other: a Rollout uses the (Cluster)AnalysisTemplates and the
 * Deployment its {@code workloadRef} names from any of the files, plus the templates given to
 * {@link Builder#template}. Every metric is checked against the {@link MetricProviders} given
 * ({@link #defaultProviders()} by default): a provider type that is not registered, or an option
 * the provider does not support, is refused at load rather than at the first measurement.
 *
 * <p>Immutable and thread-safe.
 */
public final class ArgoRollouts {
  /** Found once, at first use: discovery runs every provider factory on the class path. */
  private static final class Defaults {
    static final MetricProviders PROVIDERS = MetricProviders.discover(ProviderContext.ofDefaults());
    static final ArgoRollouts LOADER = builder().build();
  }

  private final MetricProviders providers;
  private final List<AnalysisTemplate> templates;

  private ArgoRollouts(Builder b) {
    this.providers = b.providers;
    this.templates = List.copyOf(b.templates);
  }

  /** A loader checking metrics against {@link #defaultProviders()}, with no extra templates. */
  public static ArgoRollouts ofDefaults() {
    return Defaults.LOADER;
  }

  /**
   * The providers {@link #ofDefaults()} checks metrics against: every provider on the class path,
   * as {@link MetricProviders#discover} finds them with {@link ProviderContext#ofDefaults()}
   * ({@code prometheus}, {@code web}, {@code datadog}, {@code newRelic}, {@code wavefront}, {@code
   * graphite}, {@code influxdb}, {@code kayenta}, {@code skywalking}; {@code cloudWatch} with
   * {@code glidepath-analysis-aws}, {@code job} with {@code glidepath-analysis-kube}). Give the
   * {@code RolloutDriver} providers of the same types, made with your Secrets and clients.
   */
  public static MetricProviders defaultProviders() {
    return Defaults.PROVIDERS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every document of the files, as typed models.
   *
   * @throws DocumentRefusedException for the first refused document (the others refused are
   *     attached as suppressed exceptions)
   * @throws YamlException if a file cannot be read or is not YAML
   */
  public List<ArgoDocument> read(Path... files) {
    return loaded(check(List.of(files)));
  }

  /** Every document of a YAML stream; {@code source} names it in errors. */
  public List<ArgoDocument> parseAll(String yaml, String source) {
    return loaded(checkText(yaml, source));
  }

  /** One parsed resource (its refusals name no line). */
  public ArgoDocument read(Resource resource) {
    Batch batch = new Batch(providers, templates);
    batch.add(resource);
    return loaded(batch.finish()).get(0);
  }

  /**
   * The one Rollout among the files' documents, with the templates of all of them.
   *
   * @throws DocumentRefusedException if it, or any other document, is refused
   * @throws IllegalArgumentException if the files hold no Rollout or several
   */
  public RolloutSpec rollout(Path... files) {
    List<RolloutSpec> rollouts = new ArrayList<>();
    for (ArgoDocument d : read(files)) {
      if (d instanceof ArgoDocument.Rollout r) {
        rollouts.add(r.spec());
      }
    }
    if (rollouts.size() != 1) {
      throw new IllegalArgumentException(
          "expected one Rollout in " + List.of(files) + ", but found " + rollouts.size());
    }
    return rollouts.get(0);
  }

  /**
   * The verdict on every document of the files: loaded or refused with each refused field. Never
   * throws for a refused document.
   *
   * @throws YamlException if a file cannot be read or is not YAML
   */
  public List<CheckedDocument> check(List<Path> files) {
    Batch batch = new Batch(providers, templates);
    for (Path f : files) {
      String text = readText(f);
      batch.add(Yaml.readDocuments(text, f.toString()), FieldPositions.of(text, f.toString()));
    }
    return batch.finish();
  }

  /** Like {@link #check(List)}, for YAML text. */
  public List<CheckedDocument> checkText(String yaml, String source) {
    Batch batch = new Batch(providers, templates);
    batch.add(Yaml.readDocuments(yaml, source), FieldPositions.of(yaml, source));
    return batch.finish();
  }

  private static List<ArgoDocument> loaded(List<CheckedDocument> checked) {
    List<ArgoDocument> out = new ArrayList<>();
    DocumentRefusedException first = null;
    for (CheckedDocument c : checked) {
      if (c.isRefused()) {
        if (first == null) {
          first = c.exception();
        } else {
          first.addSuppressed(c.exception());
        }
      } else {
        out.add(c.document().orElseThrow());
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new YamlException(io.glidepath.core.Origin.of(file.toString()), "no such file", e);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new YamlException(
          io.glidepath.core.Origin.of(file.toString()), "file is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new YamlException(
          io.glidepath.core.Origin.of(file.toString()), "cannot read: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ArgoRollouts[" + providers + ", " + templates.size() + " templates]";
  }

  /** Builds an {@link ArgoRollouts}. Not thread-safe. */
  public static final class Builder {
    private MetricProviders providers;
    private final List<AnalysisTemplate> templates = new ArrayList<>();

    private Builder() {}

    /** The providers every metric must be able to run on (default {@link #defaultProviders()}). */
    public Builder providers(MetricProviders providers) {
      this.providers = Objects.requireNonNull(providers, "providers");
      return this;
    }

    /** A template every Rollout and Experiment may name, as if it were in the files. */
    public Builder template(AnalysisTemplate template) {
      templates.add(Objects.requireNonNull(template, "template"));
      return this;
    }

    public ArgoRollouts build() {
      if (providers == null) {
        providers = defaultProviders();
      }
      return new ArgoRollouts(this);
    }
  }
}
