package io.glidepath.kube.apply;

import java.util.Map;
import java.util.Objects;

/**
 * How an {@link Applier} writes resources; Argo CD's sync options by another name.
 *
 * <p>Defaults ({@link #ofDefaults()}): server-side apply with field manager {@value
 * #DEFAULT_FIELD_MANAGER}, no force, no replace, no namespace creation, no server dry run of the
 * plan (as Argo CD), shared resources reported but applied, default namespace {@value
 * #DEFAULT_NAMESPACE}.
 *
 * <pre>{@code
 * ApplyOptions options = ApplyOptions.builder()
 *     .createNamespace(true)
 *     .namespace("production")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ApplyOptions {
  /** The field manager of server-side apply. */
  public static final String DEFAULT_FIELD_MANAGER = "glidepath";

  /** The namespace of namespaced resources that name none. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** Resources written at once. */
  public static final int DEFAULT_PARALLELISM = 8;

  private final boolean serverSideApply;
  private final boolean force;
  private final boolean replace;
  private final boolean createNamespace;
  private final boolean dryRunFirst;
  private final boolean failOnSharedResource;
  private final boolean skipDryRunOnMissingResource;
  private final int parallelism;
  private final String fieldManager;
  private final String namespace;
  private final Map<String, String> namespaceLabels;
  private final Map<String, String> namespaceAnnotations;

  private ApplyOptions(Builder b) {
    this.serverSideApply = b.serverSideApply;
    this.force = b.force;
    this.replace = b.replace;
    this.createNamespace = b.createNamespace;
    this.dryRunFirst = b.dryRunFirst;
    this.failOnSharedResource = b.failOnSharedResource;
    this.skipDryRunOnMissingResource = b.skipDryRunOnMissingResource;
    this.parallelism = b.parallelism;
    this.fieldManager = b.fieldManager;
    this.namespace = b.namespace;
    this.namespaceLabels = Map.copyOf(b.namespaceLabels);
    this.namespaceAnnotations = Map.copyOf(b.namespaceAnnotations);
  }

  /** The defaults. */
  public static ApplyOptions ofDefaults() {
    return new Builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** {@code ServerSideApply=true}: server-side apply, else client-side three-way apply. */
  public boolean serverSideApply() {
    return serverSideApply;
  }

  /**
   * {@code Force=true}: take over fields other managers own (server-side apply), and delete and
   * recreate an object the API refuses to change.
   */
  public boolean force() {
    return force;
  }

  /** {@code Replace=true}: create or replace (PUT) the whole object instead of applying. */
  public boolean replace() {
    return replace;
  }

  /** {@code CreateNamespace=true}: create missing namespaces first. */
  public boolean createNamespace() {
    return createNamespace;
  }

  /**
   * Whether the whole plan is dry-run on the server before the first write (a Glidepath option, off
   * by default: Argo CD's pre-sync dry run is client-side, which the applier always does by
   * checking every kind against discovery before writing).
   */
  public boolean dryRunFirst() {
    return dryRunFirst;
  }

  /** {@code FailOnSharedResource=true}: refuse resources another app tracks. */
  public boolean failOnSharedResource() {
    return failOnSharedResource;
  }

  /**
   * {@code SkipDryRunOnMissingResource=true}: a resource of a kind the cluster does not serve yet
   * does not fail the plan before the first write; the kind is looked up again when the resource is
   * written (a CRD another app or an earlier wave installs), and only that resource fails if it is
   * still not served.
   */
  public boolean skipDryRunOnMissingResource() {
    return skipDryRunOnMissingResource;
  }

  /**
   * How many resources are written at once (namespaces and CRDs always go first, one by one);
   * results stay in plan order. Default {@value #DEFAULT_PARALLELISM}.
   */
  public int parallelism() {
    return parallelism;
  }

  /** The field manager of server-side apply. */
  public String fieldManager() {
    return fieldManager;
  }

  /** The namespace of namespaced resources that name none (the app's destination). */
  public String namespace() {
    return namespace;
  }

  /** Labels of created namespaces (Argo's managedNamespaceMetadata). */
  public Map<String, String> namespaceLabels() {
    return namespaceLabels;
  }

  /** Annotations of created namespaces (Argo's managedNamespaceMetadata). */
  public Map<String, String> namespaceAnnotations() {
    return namespaceAnnotations;
  }

  @Override
  public String toString() {
    return "ApplyOptions{serverSideApply="
        + serverSideApply
        + ", force="
        + force
        + ", replace="
        + replace
        + ", createNamespace="
        + createNamespace
        + ", dryRunFirst="
        + dryRunFirst
        + ", failOnSharedResource="
        + failOnSharedResource
        + ", skipDryRunOnMissingResource="
        + skipDryRunOnMissingResource
        + ", parallelism="
        + parallelism
        + ", fieldManager="
        + fieldManager
        + ", namespace="
        + namespace
        + "}";
  }

  /** Builds {@link ApplyOptions}; not thread-safe. */
  public static final class Builder {
    private boolean serverSideApply = true;
    private boolean force;
    private boolean replace;
    private boolean createNamespace;
    private boolean dryRunFirst = false;
    private boolean failOnSharedResource;
    private boolean skipDryRunOnMissingResource;
    private int parallelism = DEFAULT_PARALLELISM;
    private String fieldManager = DEFAULT_FIELD_MANAGER;
    private String namespace = DEFAULT_NAMESPACE;
    private Map<String, String> namespaceLabels = Map.of();
    private Map<String, String> namespaceAnnotations = Map.of();

    private Builder() {}

    private Builder(ApplyOptions o) {
      serverSideApply = o.serverSideApply;
      force = o.force;
      replace = o.replace;
      createNamespace = o.createNamespace;
      dryRunFirst = o.dryRunFirst;
      failOnSharedResource = o.failOnSharedResource;
      skipDryRunOnMissingResource = o.skipDryRunOnMissingResource;
      parallelism = o.parallelism;
      fieldManager = o.fieldManager;
      namespace = o.namespace;
      namespaceLabels = o.namespaceLabels;
      namespaceAnnotations = o.namespaceAnnotations;
    }

    /** {@code ServerSideApply}; default true. */
    public Builder serverSideApply(boolean value) {
      this.serverSideApply = value;
      return this;
    }

    /** {@code Force}; default false. */
    public Builder force(boolean value) {
      this.force = value;
      return this;
    }

    /** {@code Replace}; default false. */
    public Builder replace(boolean value) {
      this.replace = value;
      return this;
    }

    /** {@code CreateNamespace}; default false. */
    public Builder createNamespace(boolean value) {
      this.createNamespace = value;
      return this;
    }

    /**
     * Whether to dry-run the whole plan on the server first, so that a plan the server refuses in
     * part (validation, admission, an immutable field) writes nothing; default false, as Argo CD,
     * whose sync applies what the server accepts and fails the resources it refuses. It doubles the
     * writes of a sync.
     */
    public Builder dryRunFirst(boolean value) {
      this.dryRunFirst = value;
      return this;
    }

    /** {@code FailOnSharedResource}; default false. */
    public Builder failOnSharedResource(boolean value) {
      this.failOnSharedResource = value;
      return this;
    }

    /** {@code SkipDryRunOnMissingResource}; default false. */
    public Builder skipDryRunOnMissingResource(boolean value) {
      this.skipDryRunOnMissingResource = value;
      return this;
    }

    /** Writes at once, 1..64; default {@value ApplyOptions#DEFAULT_PARALLELISM}. */
    public Builder parallelism(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("parallelism must be in 1..64, but was " + value);
      }
      this.parallelism = value;
      return this;
    }

    /** The server-side apply field manager, 1..128 characters; default {@code glidepath}. */
    public Builder fieldManager(String value) {
      Objects.requireNonNull(value, "fieldManager");
      if (value.isBlank() || value.length() > 128) {
        throw new IllegalArgumentException(
            "fieldManager must be 1..128 non-blank characters, but was '" + value + "'");
      }
      this.fieldManager = value;
      return this;
    }

    /** The namespace for namespaced resources that name none (the app's destination). */
    public Builder namespace(String value) {
      Objects.requireNonNull(value, "namespace");
      if (value.isBlank()) {
        throw new IllegalArgumentException("namespace must not be blank, but was '" + value + "'");
      }
      this.namespace = value;
      return this;
    }

    /** Labels and annotations of namespaces created by {@code CreateNamespace}. */
    public Builder namespaceMetadata(Map<String, String> labels, Map<String, String> annotations) {
      this.namespaceLabels = Map.copyOf(labels);
      this.namespaceAnnotations = Map.copyOf(annotations);
      return this;
    }

    /** The options. */
    public ApplyOptions build() {
      return new ApplyOptions(this);
    }
  }
}
