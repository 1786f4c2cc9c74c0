package io.glidepath.appset;

import io.glidepath.appset.internal.GenerationRun;
import java.util.Objects;

/**
 * Generates the Applications of an {@link ApplicationSet} with Argo CD's semantics, without a
 * cluster: what {@code glidepath appset generate} prints and what the ApplicationSet controller
 * keeps in the cluster.
 *
 * <pre>{@code
 * ApplicationSetGenerator generator =
 *     ApplicationSetGenerator.of(GeneratorContext.of(registry.clusters(), repositories));
 * for (Resource app : generator.generate(set).applications()) {
 *   System.out.println(Yaml.write(app.body()));
 * }
 * }</pre>
 *
 * <p>Parameters come from the generators (selectors applied); each set is rendered through its
 * template with fasttemplate or, with {@code goTemplate: true}, Go's text/template and the Sprig
 * functions Argo CD allows ({@code missingkey} as {@code goTemplateOptions} says); {@code
 * templatePatch} is rendered the same way and merged in; Argo CD's resources finalizer is added
 * unless {@code preserveResourcesOnDeletion}; every Application lands in the ApplicationSet's
 * namespace and is checked as {@link io.glidepath.core.app.Application#parse} checks a file. Any
 * error names the generator ({@code spec.generators[1].matrix.generators[0]}) and nothing is
 * generated.
 *
 * <p>Thread-safe when its context is.
 */
public final class ApplicationSetGenerator {
  private final GeneratorContext context;

  private ApplicationSetGenerator(GeneratorContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  public static ApplicationSetGenerator of(GeneratorContext context) {
    return new ApplicationSetGenerator(context);
  }

  /**
   * The Applications {@code set} generates now.
   *
   * @throws ApplicationSetException naming the generator or template field that failed
   */
  public GeneratedApplications generate(ApplicationSet set) {
    return new GenerationRun(set, context).run();
  }
}
