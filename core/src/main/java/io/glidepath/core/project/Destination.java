package io.glidepath.core.project;

import io.glidepath.core.internal.glob.Glob;

/**
 * A permitted (or, with a leading {@code !}, forbidden) deployment destination of a project. Fields
 * are globs; an empty field is not checked ({@code name} and {@code server} are alternatives, as in
 * Argo CD).
 *
 * @param server the cluster API server URL glob
 * @param name the cluster name glob
 * @param namespace the namespace glob
 */
public record Destination(String server, String name, String namespace) {
  public Destination {
    server = server == null ? "" : server;
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
  }

  /** Whether this rule forbids rather than permits. */
  public boolean isDeny() {
    return server.startsWith("!") || namespace.startsWith("!") || name.startsWith("!");
  }

  /** Whether the rule's positive form covers {@code server}/{@code namespace}. */
  boolean covers(String server, String clusterName, String namespace) {
    boolean serverOk =
        this.server.isEmpty() && this.name.isEmpty()
            || !this.server.isEmpty() && Glob.of(strip(this.server)).matches(server)
            || !this.name.isEmpty() && Glob.of(strip(this.name)).matches(clusterName);
    boolean nsOk = this.namespace.isEmpty() || Glob.of(strip(this.namespace)).matches(namespace);
    return serverOk && nsOk;
  }

  private static String strip(String s) {
    return s.startsWith("!") ? s.substring(1) : s;
  }

  @Override
  public String toString() {
    return (name.isEmpty() ? server : name) + "/" + namespace;
  }
}
