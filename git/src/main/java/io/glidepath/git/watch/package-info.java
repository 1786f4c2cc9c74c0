/**
 * Watching a repository: {@link io.glidepath.git.watch.GitWatcher} polls a revision (and polls at
 * once on {@link io.glidepath.git.watch.GitWatcher#refresh()}) and tells {@link
 * io.glidepath.git.watch.GitListener}s about new commits, force-pushes and failures.
 */
package io.glidepath.git.watch;
