package io.glidepath.appset.internal;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.appset.AnalysisTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The analysis gates of one ApplicationSet's RollingSync (a Glidepath extension): per step, the
 * analysis run of the step's group in one state (its generated Applications, as a key). A run for
 * an older state of the group is terminated when the group changes. Thread-safe.
 */
public final class AnalysisGates implements AutoCloseable {
  /** Where a step's gate stands for the group's current state. */
  public enum State {
    /** No run for this state of the group yet. */
    NONE,
    RUNNING,
    /** Successful: the next step may start. */
    PASSED,
    /** Inconclusive: the rollout waits (as Argo Rollouts pauses), nothing is rolled back. */
    INCONCLUSIVE,
    /** Failed or Error: the rollout stops and the group is rolled back. */
    FAILED
  }

  /** A gate's state and the run's message. */
  public record Verdict(State state, String message) {
    public static final Verdict NONE = new Verdict(State.NONE, "");
  }

  /**
   * One entry of a step's {@code analysis.templates}.
   *
   * @param name the template's name
   * @param clusterScope whether it names a ClusterAnalysisTemplate
   */
  public record TemplateRef(String name, boolean clusterScope) {}

  /**
   * A step's {@code analysis}, as the reader checked it.
   *
   * @param templates the templates in the order given (an AnalysisTemplate and a
   *     ClusterAnalysisTemplate of the same name are two entries; a template given twice makes the
   *     run Error, as its metrics then have the same names)
   * @param args argument values
   */
  public record StepAnalysis(List<TemplateRef> templates, Map<String, String> args) {
    public StepAnalysis {
      templates = List.copyOf(templates);
      args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** The step's analysis, or null when it has none. */
    public static StepAnalysis of(JsonNode step) {
      JsonNode a = step.path("analysis");
      if (!a.isObject()) {
        return null;
      }
      List<TemplateRef> templates = new ArrayList<>();
      for (JsonNode t : a.path("templates")) {
        templates.add(
            new TemplateRef(
                t.path("templateName").asString(""), t.path("clusterScope").asBoolean(false)));
      }
      Map<String, String> args = new LinkedHashMap<>();
      for (JsonNode arg : a.path("args")) {
        args.put(arg.path("name").asString(""), arg.path("value").asString(""));
      }
      return new StepAnalysis(templates, args);
    }

    /** The template names, for messages. */
    public String names() {
      return String.join(", ", templates.stream().map(TemplateRef::name).toList());
    }
  }

  private record Gate(String key, AnalysisRun run) {}

  private final Map<Integer, Gate> gates = new HashMap<>();

  /** The gate of {@code step} (0-based) for the group state {@code key}. */
  public synchronized Verdict verdict(int step, String key) {
    Gate g = gates.get(step);
    if (g == null || !g.key().equals(key)) {
      return Verdict.NONE;
    }
    AnalysisResult r = g.run().result();
    if (!r.isCompleted()) {
      return new Verdict(State.RUNNING, r.message());
    }
    if (r.phase() == AnalysisPhase.SUCCESSFUL) {
      return new Verdict(State.PASSED, r.message());
    }
    String message = r.phase().argoName() + (r.message().isEmpty() ? "" : ": " + r.message());
    return new Verdict(
        r.phase() == AnalysisPhase.INCONCLUSIVE ? State.INCONCLUSIVE : State.FAILED, message);
  }

  /**
   * Starts the run of {@code step} for the group state {@code key} (terminating one of another
   * state). A template that cannot be found or resolved makes a run that is Error at once, as Argo
   * Rollouts marks an invalid analysis.
   */
  public synchronized void start(
      int step,
      String key,
      String runName,
      StepAnalysis analysis,
      AnalysisTemplates templates,
      MetricProviders providers,
      AnalysisScheduler scheduler) {
    Gate old = gates.remove(step);
    if (old != null) {
      old.run().terminate();
    }
    AnalysisRun run;
    try {
      List<AnalysisTemplate> found = new ArrayList<>();
      for (TemplateRef t : analysis.templates()) {
        found.add(
            templates
                .find(t.name(), t.clusterScope())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            (t.clusterScope() ? "ClusterAnalysisTemplate" : "AnalysisTemplate")
                                + " '"
                                + t.name()
                                + "' not found")));
      }
      AnalysisTemplate template = AnalysisTemplate.combine(runName, found).resolve(analysis.args());
      providers.validate(template);
      run = AnalysisRun.start(template, providers, scheduler, AnalysisListener.NONE);
    } catch (RuntimeException e) {
      run = AnalysisRun.invalid(runName, e.getMessage(), scheduler, AnalysisListener.NONE);
    }
    gates.put(step, new Gate(key, run));
  }

  /** Terminates and forgets the runs of steps whose group is no longer in the state they judge. */
  public synchronized void retain(Map<Integer, String> keys) {
    gates
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().key().equals(keys.get(e.getKey()))) {
                return false;
              }
              e.getValue().run().terminate();
              return true;
            });
  }

  @Override
  public synchronized void close() {
    gates.values().forEach(g -> g.run().terminate());
    gates.clear();
  }
}
