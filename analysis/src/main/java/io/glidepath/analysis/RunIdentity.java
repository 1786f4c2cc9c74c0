package io.glidepath.analysis;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who an {@link AnalysisRun} is: its name, a unique id, the namespace it runs in and the object it
 * runs for. Providers that create things (the {@code job} provider's Kubernetes Jobs) name, place
 * and own them by it, as Argo Rollouts does with the AnalysisRun object.
 *
 * <p>Example: {@code RunIdentity.of("trade-service-6b8f-2", "production") .withOwner(new
 * RunIdentity.Owner("argoproj.io/v1alpha1", "Rollout", "trade-service", Optional.empty()))}.
 * Immutable.
 *
 * @param name the run's name, e.g. {@code <rollout>-<hash>-<step>}
 * @param uid a unique id of this run (Argo's AnalysisRun UID); Job names start with it
 * @param namespace the namespace the run belongs to, if any
 * @param owner the object the run's resources are owned by, if any
 */
public record RunIdentity(
    String name, String uid, Optional<String> namespace, Optional<Owner> owner) {
  public RunIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(owner, "owner");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (uid.isBlank()) {
      throw new IllegalArgumentException("uid must not be blank");
    }
  }

  /** A run named {@code name} with a new random uid, no namespace and no owner. */
  public static RunIdentity of(String name) {
    return new RunIdentity(name, UUID.randomUUID().toString(), Optional.empty(), Optional.empty());
  }

  /** A run named {@code name} in {@code namespace}, with a new random uid and no owner. */
  public static RunIdentity of(String name, String namespace) {
    return new RunIdentity(
        name, UUID.randomUUID().toString(), Optional.of(namespace), Optional.empty());
  }

  /** This identity owned by {@code owner}. */
  public RunIdentity withOwner(Owner owner) {
    return new RunIdentity(name, uid, namespace, Optional.of(owner));
  }

  /** This identity with another uid (tests use fixed ones). */
  public RunIdentity withUid(String newUid) {
    return new RunIdentity(name, newUid, namespace, owner);
  }

  /**
   * The object a run's resources belong to, e.g. the Rollout. A provider that cannot find it (no
   * uid and no such object) creates its resources without an owner.
   *
   * @param apiVersion e.g. {@code argoproj.io/v1alpha1}
   * @param kind e.g. {@code Rollout}
   * @param name the object's name (in the run's namespace)
   * @param uid the object's uid, if known
   */
  public record Owner(String apiVersion, String kind, String name, Optional<String> uid) {
    public Owner {
      Objects.requireNonNull(apiVersion, "apiVersion");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(uid, "uid");
    }
  }
}
