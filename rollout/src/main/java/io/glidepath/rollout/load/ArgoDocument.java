package io.glidepath.rollout.load;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.core.Origin;
import io.glidepath.core.resource.Resource;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.experiment.ExperimentSpec;
import java.util.Objects;

/**
 * One document read by {@link ArgoRollouts}, as the typed model of its kind. A closed set: every
 * document of a stream is one of these, so none is skipped silently; documents that are not Argo
 * Rollouts kinds (a Service, an Ingress, an Argo CD Application) are {@link Other}.
 */
public sealed interface ArgoDocument {
  /** Where the document starts. */
  Origin origin();

  /** The document's kind, e.g. {@code Rollout}. */
  String kind();

  /** The document's name. */
  String name();

  /** A {@code Rollout}: a {@link io.glidepath.rollout.CanaryPlan} or a BlueGreenPlan. */
  record Rollout(RolloutSpec spec, Origin origin) implements ArgoDocument {
    public Rollout {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String kind() {
      return "Rollout";
    }

    @Override
    public String name() {
      return spec.name();
    }
  }

  /** An {@code AnalysisTemplate} or {@code ClusterAnalysisTemplate}. */
  record Template(AnalysisTemplate template, Origin origin) implements ArgoDocument {
    public Template {
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String kind() {
      return template.kind().kindName();
    }

    @Override
    public String name() {
      return template.name();
    }
  }

  /** An {@code AnalysisRun}. */
  record Run(AnalysisRunSpec run, Origin origin) implements ArgoDocument {
    public Run {
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String kind() {
      return "AnalysisRun";
    }

    @Override
    public String name() {
      return run.name();
    }
  }

  /** An {@code Experiment}. */
  record Experiment(ExperimentSpec experiment, Origin origin) implements ArgoDocument {
    public Experiment {
      Objects.requireNonNull(experiment, "experiment");
      Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String kind() {
      return "Experiment";
    }

    @Override
    public String name() {
      return experiment.name();
    }
  }

  /**
   * A document that is not an Argo Rollouts kind, returned as read (a Deployment a {@code
   * workloadRef} names is used, then returned here too).
   */
  record Other(Resource resource) implements ArgoDocument {
    public Other {
      Objects.requireNonNull(resource, "resource");
    }

    @Override
    public Origin origin() {
      return resource.origin();
    }

    @Override
    public String kind() {
      return resource.kind();
    }

    @Override
    public String name() {
      return resource.name();
    }
  }
}
