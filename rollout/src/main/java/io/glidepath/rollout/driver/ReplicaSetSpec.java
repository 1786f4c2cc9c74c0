package io.glidepath.rollout.driver;

import io.glidepath.rollout.PodMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * A ReplicaSet as a {@link RolloutCluster} must make it exist: a rollout revision's ({@code
 * <rollout>-<hash>}) or an experiment template's ({@code <experiment>-<template>}).
 *
 * <p>The pods carry the selector's labels, {@code rollouts-pod-template-hash: <hash>} and the
 * {@code ephemeral} labels and annotations of their current role (Argo's canaryMetadata,
 * stableMetadata, previewMetadata, activeMetadata): when the role changes, the labels and
 * annotations of the previous role are removed from the template and from the running pods.
 *
 * @param name the ReplicaSet's name
 * @param hash the pod-template hash it is pinned to
 * @param podTemplate the pod template; empty: keep the existing ReplicaSet's (scale it and change
 *     its role metadata only; a ReplicaSet that does not exist is then not created)
 * @param selector the selector's labels (the hash label is added)
 * @param replicas spec.replicas
 * @param minReadySeconds spec.minReadySeconds
 * @param ephemeral the role's labels and annotations
 */
public record ReplicaSetSpec(
    String name,
    String hash,
    java.util.Optional<ObjectNode> podTemplate,
    Map<String, String> selector,
    int replicas,
    int minReadySeconds,
    PodMetadata ephemeral) {
  public ReplicaSetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(podTemplate, "podTemplate");
    selector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(selector));
    Objects.requireNonNull(ephemeral, "ephemeral");
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0, but was " + replicas);
    }
    if (minReadySeconds < 0) {
      throw new IllegalArgumentException(
          "minReadySeconds must be >= 0, but was " + minReadySeconds);
    }
  }

  /** A rollout revision's ReplicaSet {@code <rollout>-<hash>} without role metadata. */
  public static ReplicaSetSpec of(
      String rollout,
      String hash,
      ObjectNode podTemplate,
      Map<String, String> selector,
      int replicas) {
    return new ReplicaSetSpec(
        rollout + "-" + hash,
        hash,
        java.util.Optional.of(podTemplate),
        selector,
        replicas,
        0,
        PodMetadata.NONE);
  }
}
