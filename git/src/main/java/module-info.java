/**
 * Glidepath git: a shared clone cache with read-only snapshots ({@link io.glidepath.git.GitCache},
 * {@link io.glidepath.git.GitSource}), a watcher ({@link io.glidepath.git.watch.GitWatcher}) and
 * surgical YAML write-back with push retry ({@link io.glidepath.git.writeback.GitWriteBack}).
 */
module io.glidepath.git {
  requires transitive io.glidepath.core;
  requires org.eclipse.jgit;
  requires org.eclipse.jgit.ssh.apache;
  requires org.apache.sshd.osgi;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.snakeyaml.engine;
  requires org.slf4j;

  exports io.glidepath.git;
  exports io.glidepath.git.watch;
  exports io.glidepath.git.writeback;
}
