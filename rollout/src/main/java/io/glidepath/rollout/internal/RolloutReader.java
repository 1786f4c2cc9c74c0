package io.glidepath.rollout.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.core.Origin;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.FieldPositions;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.PlanValidationException;
import io.glidepath.rollout.PlanValidationException.Problem;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.internal.load.Batch;
import io.glidepath.rollout.load.ArgoDocument;
import io.glidepath.rollout.load.ArgoRollouts;
import io.glidepath.rollout.load.CheckedDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code CanaryPlan.fromRollout} / {@code BlueGreenPlan.fromRollout} forms: one Rollout read
 * with the loader of {@link ArgoRollouts} (every field honoured or refused), with the templates of
 * the same source and the caller's.
 */
public final class RolloutReader {
  private RolloutReader() {}

  /** A source: YAML documents with their positions, or one parsed resource. */
  public record Parsed(
      List<YamlDocument> documents, FieldPositions positions, Resource resource, String source) {}

  public static Parsed read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new YamlException(Origin.of(file.toString()), "no such file", e);
    } catch (IOException e) {
      throw new YamlException(Origin.of(file.toString()), "cannot read: " + e.getMessage(), e);
    }
    return read(text, file.toString());
  }

  public static Parsed read(String yaml, String source) {
    return new Parsed(
        Yaml.readDocuments(yaml, source), FieldPositions.of(yaml, source), null, source);
  }

  public static Parsed of(Resource rollout) {
    return new Parsed(List.of(), FieldPositions.none(), rollout, rollout.origin().source());
  }

  public static CanaryPlan canary(Parsed parsed, List<AnalysisTemplate> extra) {
    RolloutSpec spec = rollout(parsed, extra, "canary");
    if (spec instanceof CanaryPlan c) {
      return c;
    }
    throw wrongStrategy(spec, "canary", "blueGreen");
  }

  public static BlueGreenPlan blueGreen(Parsed parsed, List<AnalysisTemplate> extra) {
    RolloutSpec spec = rollout(parsed, extra, "blueGreen");
    if (spec instanceof BlueGreenPlan g) {
      return g;
    }
    throw wrongStrategy(spec, "blueGreen", "canary");
  }

  private static PlanValidationException wrongStrategy(RolloutSpec spec, String want, String has) {
    return new PlanValidationException(
        spec.name(),
        List.of(
            new Problem(
                Optional.empty(),
                "spec.strategy." + want,
                "is missing (strategy has [" + has + "])")));
  }

  /** The one Rollout of {@code parsed}, either strategy. */
  public static RolloutSpec spec(Parsed parsed, List<AnalysisTemplate> extra) {
    return rollout(parsed, extra, "");
  }

  private static RolloutSpec rollout(Parsed parsed, List<AnalysisTemplate> extra, String strategy) {
    Batch batch = new Batch(ArgoRollouts.defaultProviders(), extra);
    if (parsed.resource() != null) {
      batch.add(parsed.resource());
    } else {
      batch.add(parsed.documents(), parsed.positions());
    }
    List<CheckedDocument> checked = batch.finish();
    List<CheckedDocument> rollouts =
        checked.stream().filter(c -> c.kind().equals("Rollout")).toList();
    if (rollouts.isEmpty()) {
      throw new PlanValidationException(
          parsed.source(),
          List.of(new Problem(Optional.empty(), "kind", "no Rollout in " + parsed.source())));
    }
    if (rollouts.size() > 1) {
      throw new PlanValidationException(
          rollouts.get(0).name(),
          List.of(
              new Problem(
                  Optional.empty(),
                  "kind",
                  "a file must hold one Rollout, but " + parsed.source() + " holds more")));
    }
    CheckedDocument r = rollouts.get(0);
    if (r.isRefused()) {
      throw r.exception();
    }
    for (CheckedDocument c : checked) {
      // a template the rollout needs that is refused shows in its refusal; others are refused too
      if (c.isRefused()) {
        throw c.exception();
      }
    }
    return ((ArgoDocument.Rollout) r.document().orElseThrow()).spec();
  }
}
