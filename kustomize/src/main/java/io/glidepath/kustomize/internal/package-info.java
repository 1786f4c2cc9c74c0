/**
 * The Kustomize engine behind {@link io.glidepath.kustomize.KustomizeRenderer}; not exported.
 *
 * <p>{@link io.glidepath.kustomize.internal.KustTarget} builds a kustomization the way kustomize's
 * KustTarget does (accumulate, components, generators, transformers in kustomize's fixed order;
 * hash suffixes, name references and ordering at the top). The engines are separate and pure:
 * {@link io.glidepath.kustomize.internal.StrategicMerge}, {@link
 * io.glidepath.kustomize.internal.JsonPatch}, {@link io.glidepath.kustomize.internal.NameHash}.
 */
package io.glidepath.kustomize.internal;
