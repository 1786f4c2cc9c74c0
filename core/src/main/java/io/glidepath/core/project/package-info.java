/**
 * Projects, as Argo CD's {@code AppProject}: which repositories, destinations and kinds an
 * application may use, and when it may sync. {@link io.glidepath.core.project.Project} holds the
 * rules; {@link io.glidepath.core.project.ProjectSource} finds an application's project by name;
 * {@link io.glidepath.core.project.ProjectGuard} checks a render result or a sync plan (prunes and
 * the namespace it creates included) and the sync windows before anything is written. Pure: it
 * talks to no cluster (a cluster's discovery comes in as a {@link
 * io.glidepath.core.project.ResourceScope}).
 *
 * <p>Everything here is non-null; absent values are {@link java.util.Optional}.
 */
package io.glidepath.core.project;
