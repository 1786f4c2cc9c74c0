/**
 * The Argo CD {@code Application} model: {@link io.glidepath.core.app.Application} with its source,
 * destination, {@link io.glidepath.core.app.SyncPolicy} (automated prune/self-heal/allowEmpty,
 * {@link io.glidepath.core.app.SyncOptions}, {@link io.glidepath.core.app.Retry}) and ignored
 * differences; strict YAML loading that names the path of every unknown field.
 *
 * <p>All types are immutable records; everything is non-null, absent values are {@link
 * java.util.Optional}.
 */
package io.glidepath.core.app;
