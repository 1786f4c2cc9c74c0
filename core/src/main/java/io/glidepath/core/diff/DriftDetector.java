package io.glidepath.core.diff;

import io.glidepath.core.internal.diff.DefaultDriftDetector;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;

/**
 * Compares what Git declares (desired) with what the cluster holds (live), with no false alarms
 * from what the API server adds.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.of(DiffOptions.ofDefaults());
 * DriftReport report = detector.detect(rendered.resources(), liveObjects);
 * report.outOfSync().forEach(d -> System.out.print(d.unifiedDiff()));
 * }</pre>
 *
 * <p>Per resource key the result is {@link DriftStatus#SYNCED}, {@code MODIFIED}, {@code MISSING}
 * (desired only) or {@code EXTRANEOUS} (live only). <b>Every live resource passed in is treated as
 * tracked by the application</b>: the caller selects them (the kube module finds them by the
 * annotation {@code glidepath.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>}), so a live
 * resource without a desired counterpart is a prune candidate. Resources annotated {@code
 * argocd.argoproj.io/hook} are hooks: desired ones are compared but reported apart ({@link
 * DriftReport#hooks()}), live ones without a desired counterpart are not extraneous.
 *
 * <p>What is not drift:
 *
 * <ul>
 *   <li>server-populated metadata ({@code uid}, {@code resourceVersion}, {@code generation}, {@code
 *       creationTimestamp}, {@code managedFields}, {@code selfLink}, deletion fields), {@code
 *       status}, and the bookkeeping annotations {@code
 *       kubectl.kubernetes.io/last-applied-configuration}, {@code glidepath.io/tracking-id}, {@code
 *       argocd.argoproj.io/tracking-id};
 *   <li>fields only the live object has that Glidepath never set. What "we set" is decided by, in
 *       order: the live {@code managedFields} entry of {@link DiffOptions#fieldManager()}
 *       (server-side apply; a field another, non-manual manager owns instead of us is not drift,
 *       e.g. {@code spec.replicas} under an HPA); else the {@code last-applied-configuration}
 *       annotation (3-way: a field removed from Git but still live is drift); else nothing (only
 *       the desired object's fields are compared);
 *   <li>semantically equal values: quantities under {@code requests}/{@code limits}/{@code
 *       hard}/... ({@code 1000m} == {@code 1}, {@code 1Gi} == {@code 1024Mi}), numbers by value
 *       ({@code 1} == {@code 1.0}), an empty map or list versus an absent one, a missing {@code
 *       protocol} versus {@code protocol: TCP} in {@code ports}, a Secret's {@code stringData}
 *       versus the same values base64-encoded in {@code data};
 *   <li>lists of objects with a merge key ({@code name}, {@code containerPort}, {@code port}, ...)
 *       are matched by key, so their order is not drift;
 *   <li>fields selected by an applicable {@link IgnoreDifference}.
 * </ul>
 *
 * <p>Secrets: every value in a Secret's {@code data}/{@code stringData}, and every annotation named
 * in the object's {@code glidepath.io/sensitive-annotations} annotation (comma-separated), is
 * masked in patches, diffs, compared trees and {@code toString()}. Equal values get equal masks
 * ({@code ++++++++}, {@code +++++++++}, ...) within one resource, so changed values stay visible;
 * the patch of a Secret therefore turns the masked live object into the masked desired one.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface DriftDetector {
  /** A detector with these options. */
  static DriftDetector of(DiffOptions options) {
    return new DefaultDriftDetector(options);
  }

  /** Compares every resource of {@code desired} with {@code live} by key. */
  DriftReport detect(ResourceSet desired, ResourceSet live);

  /** Compares one desired resource with its live counterpart (same key). */
  ResourceDrift compare(Resource desired, Resource live);
}
