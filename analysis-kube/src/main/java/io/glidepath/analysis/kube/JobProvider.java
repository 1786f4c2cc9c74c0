package io.glidepath.analysis.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.RunIdentity;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.Observation;
import io.glidepath.analysis.provider.ProviderOptions;
import io.glidepath.core.yaml.Yaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Argo Rollouts' {@code job} provider: runs a Kubernetes Job per measurement and judges it by the
 * Job's outcome, Successful when it completes and Failed when it fails (the metric's conditions are
 * not evaluated), as Argo does.
 *
 * <p>The Job, as Argo makes it: named {@code <run uid>.<metric>.<attempt>}, in the run's namespace
 * (else {@value #DEFAULT_NAMESPACE}), with the template's {@code metadata.labels} and {@code
 * metadata.annotations} plus the label {@value #UID_LABEL} and the annotations {@value
 * #RUN_ANNOTATION} and {@value #METRIC_ANNOTATION}, its {@code spec} as written, and a controller
 * owner reference to the run's owner (e.g. the Rollout) when that object exists. Glidepath keeps no
 * AnalysisRun object, so a run without an owner leaves its finished Jobs to their {@code
 * ttlSecondsAfterFinished}.
 *
 * <p>Lifecycle: the Job is polled every {@link Builder#pollInterval(Duration) poll interval}
 * (Argo's controller watches it instead); a run that ends first deletes it (foreground) and the
 * measurement counts as Successful, {@code Metric Terminated}; beyond the metric's measurement
 * retention the oldest Jobs of the run are deleted. Finished Jobs are otherwise kept.
 *
 * <pre>{@code
 * MetricProviders providers = MetricProviders.of(JobProvider.of(client), prometheus);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class JobProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "job";

  /** The label holding the run's uid (Argo's). */
  public static final String UID_LABEL = "analysisrun.argoproj.io/uid";

  /** The annotation holding the run's name (Argo's). */
  public static final String RUN_ANNOTATION = "analysisrun.argoproj.io/name";

  /** The annotation holding the metric's name (Argo's). */
  public static final String METRIC_ANNOTATION = "analysisrun.argoproj.io/metric-name";

  /** The namespace of Jobs of runs without one. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** Default time between looks at a running Job. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final String JOB_NAME = "job-name";
  private static final String JOB_NAMESPACE = "job-namespace";

  private final Supplier<KubernetesClient> client;
  private final Duration pollInterval;
  private final String defaultNamespace;

  private JobProvider(Builder b) {
    this.client = b.client;
    this.pollInterval = b.pollInterval;
    this.defaultNamespace = b.defaultNamespace;
  }

  /** A provider on {@code client} with default settings. */
  public static JobProvider of(KubernetesClient client) {
    return newBuilder(client).build();
  }

  /** A builder on {@code client}. */
  public static Builder newBuilder(KubernetesClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(() -> client);
  }

  /** A builder whose client is made on first use (the CLI's kubeconfig). */
  public static Builder newBuilder(Supplier<KubernetesClient> client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void validate(ProviderSpec spec) {
    ProviderOptions o = ProviderOptions.of(spec).allow("metadata", "spec");
    o.object("metadata")
        .allow("labels", "annotations")
        .stringMap("labels")
        .stringMap("annotations");
    if (!o.has("spec")) {
      throw o.error("spec", "is required");
    }
    if (!spec.config().path("spec").path("template").isObject()) {
      throw o.error("spec.template", "is required");
    }
    try {
      Serialization.unmarshal(Yaml.toJson(spec.config().get("spec")), JobSpec.class);
    } catch (RuntimeException e) {
      throw o.error("spec", "is not a Job spec: " + e.getMessage());
    }
    checkQuantities(spec.config().path("spec").path("template").path("spec"), o);
  }

  // Kubernetes resource.Quantity: a decimal or exponent number with an optional SI or binary suffix
  private static final java.util.regex.Pattern QUANTITY =
      java.util.regex.Pattern.compile(
          "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[numkMGTPE]|[KMGTPE]i)?");

  /**
   * The API server refuses a Job whose containers ask for resources that do not parse (Argo's
   * {@code malformed-analysistemplate} e2e case); refusing it at load says so before the first
   * measurement. A value holding an argument ({@code {{args.x}}}) is checked once substituted.
   */
  private static void checkQuantities(JsonNode podSpec, ProviderOptions o) {
    for (String list : new String[] {"initContainers", "containers"}) {
      JsonNode items = podSpec.path(list);
      for (int i = 0; i < items.size(); i++) {
        for (String kind : new String[] {"requests", "limits"}) {
          JsonNode q = items.get(i).path("resources").path(kind);
          if (!q.isObject()) {
            continue;
          }
          for (var e : q.properties()) {
            JsonNode v = e.getValue();
            String text = v.isValueNode() ? v.asString().trim() : "";
            if (!text.contains("{{") && !QUANTITY.matcher(text).matches()) {
              throw o.error(
                  "spec.template.spec." + list + "[" + i + "].resources." + kind + "." + e.getKey(),
                  "must be a quantity such as 100m, 64Mi or 1, but was '" + v.asString() + "'");
            }
          }
        }
      }
    }
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    throw new MetricProviderException(TYPE, "a Job runs over time; run it in an AnalysisRun");
  }

  @Override
  public Observation start(MeasurementRequest request) {
    RunIdentity run = request.run();
    String namespace = run.namespace().orElse(defaultNamespace);
    String name = run.uid() + "." + request.metric().name() + "." + request.attempt();
    Job job = job(request, namespace, name);
    KubernetesClient c = client.get();
    try {
      c.batch().v1().jobs().inNamespace(namespace).resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw failure("creating Job " + namespace + "/" + name, e);
      }
      Job existing = get(namespace, name);
      String owner = existing == null ? null : existing.getMetadata().getLabels().get(UID_LABEL);
      if (!run.uid().equals(owner)) {
        throw failure(
            "creating Job " + namespace + "/" + name + ": another run's Job has its name", e);
      }
    }
    return Observation.running(pollInterval, Map.of(JOB_NAME, name, JOB_NAMESPACE, namespace));
  }

  @Override
  public Observation poll(MeasurementRequest request, Observation.Running running) {
    String name = running.metadata().getOrDefault(JOB_NAME, "");
    String namespace = running.metadata().getOrDefault(JOB_NAMESPACE, defaultNamespace);
    if (name.isEmpty()) {
      throw new MetricProviderException(TYPE, "job metadata reference missing");
    }
    Job job = get(namespace, name);
    if (job == null) {
      throw new MetricProviderException(TYPE, "Job " + namespace + "/" + name + " not found");
    }
    AnalysisPhase phase = null;
    String why = "";
    if (job.getStatus() != null && job.getStatus().getConditions() != null) {
      for (JobCondition condition : job.getStatus().getConditions()) {
        if ("False".equals(condition.getStatus())) {
          continue;
        }
        if ("Complete".equals(condition.getType())) {
          phase = AnalysisPhase.SUCCESSFUL;
          why = "";
        } else if ("Failed".equals(condition.getType())) {
          phase = AnalysisPhase.FAILED;
          why =
              (condition.getReason() == null ? "" : ": " + condition.getReason())
                  + (condition.getMessage() == null ? "" : " (" + condition.getMessage() + ")");
        }
      }
    }
    if (phase == null) {
      return Observation.running(pollInterval, running.metadata());
    }
    return Observation.judged(
        phase,
        "Job "
            + namespace
            + "/"
            + name
            + (phase == AnalysisPhase.SUCCESSFUL ? " completed" : " failed" + why));
  }

  @Override
  public void terminate(MeasurementRequest request, Observation.Running running) {
    String name = running.metadata().getOrDefault(JOB_NAME, "");
    String namespace = running.metadata().getOrDefault(JOB_NAMESPACE, defaultNamespace);
    if (name.isEmpty()) {
      throw new MetricProviderException(TYPE, "job metadata reference missing");
    }
    delete(namespace, name);
  }

  @Override
  public void garbageCollect(MeasurementRequest request, int limit) {
    String namespace = request.run().namespace().orElse(defaultNamespace);
    List<Job> jobs;
    try {
      jobs =
          new ArrayList<>(
              client
                  .get()
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(namespace)
                  .withLabel(UID_LABEL, request.run().uid())
                  .list()
                  .getItems());
    } catch (KubernetesClientException e) {
      throw failure("listing the run's Jobs", e);
    }
    jobs.sort(
        Comparator.comparing((Job j) -> String.valueOf(j.getMetadata().getCreationTimestamp()))
            .thenComparing(j -> j.getMetadata().getName()));
    for (int i = 0; i < jobs.size() - limit; i++) {
      delete(namespace, jobs.get(i).getMetadata().getName());
    }
  }

  private Job job(MeasurementRequest request, String namespace, String name) {
    JsonNode config = request.provider().config();
    JsonNode spec = config.get("spec");
    if (spec == null || !spec.isObject()) {
      throw new MetricProviderException(TYPE, "spec must be a Job spec");
    }
    JobSpec jobSpec;
    try {
      jobSpec = Serialization.unmarshal(Yaml.toJson(spec), JobSpec.class);
    } catch (RuntimeException e) {
      throw new MetricProviderException(TYPE, "spec is not a Job spec: " + e.getMessage(), e);
    }
    Map<String, String> labels = strings(config.path("metadata").path("labels"));
    Map<String, String> annotations = strings(config.path("metadata").path("annotations"));
    RunIdentity run = request.run();
    labels.put(UID_LABEL, run.uid());
    annotations.put(RUN_ANNOTATION, run.name());
    annotations.put(METRIC_ANNOTATION, request.metric().name());
    Job job = new Job();
    job.setApiVersion("batch/v1");
    job.setKind("Job");
    io.fabric8.kubernetes.api.model.ObjectMeta meta =
        new io.fabric8.kubernetes.api.model.ObjectMeta();
    meta.setName(name);
    meta.setNamespace(namespace);
    meta.setLabels(labels);
    meta.setAnnotations(annotations);
    owner(run, namespace).ifPresent(o -> meta.setOwnerReferences(List.of(o)));
    job.setMetadata(meta);
    job.setSpec(jobSpec);
    return job;
  }

  private Optional<OwnerReference> owner(RunIdentity run, String namespace) {
    if (run.owner().isEmpty()) {
      return Optional.empty();
    }
    RunIdentity.Owner o = run.owner().get();
    String uid = o.uid().orElse(null);
    if (uid == null) {
      GenericKubernetesResource found;
      try {
        found =
            client
                .get()
                .genericKubernetesResources(o.apiVersion(), o.kind())
                .inNamespace(namespace)
                .withName(o.name())
                .get();
      } catch (KubernetesClientException e) {
        // no such kind on this cluster (the Rollout CRD is optional): no owner
        found = null;
      }
      if (found == null) {
        return Optional.empty();
      }
      uid = found.getMetadata().getUid();
    }
    return Optional.of(
        new OwnerReferenceBuilder()
            .withApiVersion(o.apiVersion())
            .withKind(o.kind())
            .withName(o.name())
            .withUid(uid)
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build());
  }

  private Job get(String namespace, String name) {
    try {
      return client.get().batch().v1().jobs().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw failure("reading Job " + namespace + "/" + name, e);
    }
  }

  private void delete(String namespace, String name) {
    try {
      client
          .get()
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(name)
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw failure("deleting Job " + namespace + "/" + name, e);
      }
    }
  }

  private static MetricProviderException failure(String what, KubernetesClientException e) {
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return new MetricProviderException(
        TYPE, what + " failed (HTTP " + e.getCode() + "): " + reason, e.getCode(), e);
  }

  private static Map<String, String> strings(JsonNode map) {
    Map<String, String> out = new LinkedHashMap<>();
    if (map != null && map.isObject()) {
      map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
    }
    return out;
  }

  @Override
  public String toString() {
    return "JobProvider";
  }

  /** Builds a {@link JobProvider}. Not thread-safe. */
  public static final class Builder {
    private final Supplier<KubernetesClient> client;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private String defaultNamespace = DEFAULT_NAMESPACE;

    private Builder(Supplier<KubernetesClient> client) {
      this.client = client;
    }

    /** Time between looks at a running Job; must be positive. */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** The namespace of Jobs of runs that have none (default {@value #DEFAULT_NAMESPACE}). */
    public Builder defaultNamespace(String namespace) {
      this.defaultNamespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    public JobProvider build() {
      return new JobProvider(this);
    }
  }
}
