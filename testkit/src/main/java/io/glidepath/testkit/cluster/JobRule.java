package io.glidepath.testkit.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides how the {@link EmbeddedCluster}'s simulated controller finishes a Job once its ready
 * delay has passed: complete it, fail it, or keep it running. Tests set it to gate a canary on a
 * smoke-test Job, e.g. {@code JobRule.failWhenImage(i -> i.endsWith(":broken"))}.
 *
 * <p>Called on the controller's thread under the cluster's lock: must be fast and never throw.
 */
@FunctionalInterface
public interface JobRule {
  /** What happens to a Job. */
  enum Outcome {
    /** Condition {@code Complete}, {@code succeeded: 1}. */
    SUCCEED,
    /** Condition {@code Failed} with reason {@code BackoffLimitExceeded}, {@code failed: 1}. */
    FAIL,
    /** Stays {@code active: 1}. */
    RUN
  }

  /**
   * What the controller sees of a Job.
   *
   * @param namespace the Job's namespace
   * @param name the Job's name
   * @param labels its labels
   * @param annotations its annotations
   * @param images the images of its pod template's containers (init containers first)
   */
  record Job(
      String namespace,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<String> images) {
    public Job {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
      images = List.copyOf(images);
    }
  }

  /**
   * The default: a Job annotated {@code testkit.glidepath.io/ready: "false"} fails, every other
   * completes.
   */
  JobRule DEFAULT =
      job ->
          "false".equals(job.annotations().get("testkit.glidepath.io/ready"))
              ? Outcome.FAIL
              : Outcome.SUCCEED;

  /** The outcome of {@code job}. */
  Outcome outcome(Job job);

  /** Fails Jobs that run an image matching {@code image}; the others follow {@link #DEFAULT}. */
  static JobRule failWhenImage(Predicate<String> image) {
    return job -> job.images().stream().anyMatch(image) ? Outcome.FAIL : DEFAULT.outcome(job);
  }

  /**
   * Keeps Jobs that run an image matching {@code image} running; others follow {@link #DEFAULT}.
   */
  static JobRule runForeverWhenImage(Predicate<String> image) {
    return job -> job.images().stream().anyMatch(image) ? Outcome.RUN : DEFAULT.outcome(job);
  }
}
