package io.glidepath.kube.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.glidepath.core.app.ApplicationDestination;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.internal.ClusterSecretLister;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The clusters Glidepath deploys to, known by name and API server URL as Argo CD knows them: from
 * Argo CD cluster Secrets (read from a cluster or from files), kubeconfig contexts, and the
 * in-cluster default ({@code https://kubernetes.default.svc}, name {@code in-cluster}). Each
 * cluster is one {@link KubeCluster} with its own credentials and its own live-state cache,
 * connected on first use and shared by every controller that deploys there.
 *
 * <pre>{@code
 * try (ClusterRegistry clusters =
 *     ClusterRegistry.builder()
 *         .inCluster(controlPlane)                       // https://kubernetes.default.svc
 *         .secretsIn(controlPlane, "argocd")             // every cluster Secret there
 *         .build()) {
 *   ClusterRegistry.Target t = clusters.resolve(app.destination(), app.name());
 *   ResourceSet live = t.connection().liveState(app.name());
 * }
 * }</pre>
 *
 * <p>{@link #resolve} answers an unknown destination with {@link UnknownClusterException} carrying
 * Argo CD's message; the {@link io.glidepath.kube.controller.ApplicationController} turns it into
 * the app's {@code InvalidSpecError} condition. Credentials are never printed: {@link
 * RegisteredCluster#toString()} names the cluster and its origin only.
 *
 * <p>Thread-safe. {@link #close()} closes the connections the registry opened itself (not those
 * handed to it, such as {@link Builder#inCluster}'s).
 */
public final class ClusterRegistry implements ClusterResolver, AutoCloseable {
  private final List<Entry> entries;

  private static final class Entry {
    final RegisteredCluster cluster;
    final Supplier<KubeCluster> connector;
    final boolean owned;
    private KubeCluster connection; // guarded by this

    Entry(RegisteredCluster cluster, Supplier<KubeCluster> connector, boolean owned) {
      this.cluster = cluster;
      this.connector = connector;
      this.owned = owned;
    }

    synchronized KubeCluster connection() {
      if (connection == null) {
        connection = connector.get();
      }
      return connection;
    }

    synchronized void close() {
      if (owned && connection != null) {
        connection.close();
      }
      connection = null;
    }
  }

  private ClusterRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** A registry with only the in-cluster default, served by {@code cluster}. */
  public static ClusterRegistry inCluster(KubeCluster cluster) {
    return builder().inCluster(cluster).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every cluster, in the order added (a Secret for the in-cluster server replaces the default).
   */
  public List<RegisteredCluster> clusters() {
    return entries.stream().map(e -> e.cluster).toList();
  }

  /** The cluster of {@code name}. */
  public Optional<RegisteredCluster> byName(String name) {
    return entries.stream().map(e -> e.cluster).filter(c -> c.name().equals(name)).findFirst();
  }

  /** The cluster at {@code server} (a trailing slash ignored). */
  public Optional<RegisteredCluster> byServer(String server) {
    String s = trim(server);
    return entries.stream().map(e -> e.cluster).filter(c -> trim(c.server()).equals(s)).findFirst();
  }

  /** The connection to {@code cluster}, opened on first use. */
  public KubeCluster connection(RegisteredCluster cluster) {
    for (Entry e : entries) {
      if (e.cluster.equals(cluster)) {
        return e.connection();
      }
    }
    throw new IllegalArgumentException(cluster + " is not in this registry");
  }

  /**
   * The cluster an Application's destination names, as Argo CD finds it: by {@code name} or by
   * {@code server}, not both.
   *
   * @throws UnknownClusterException with Argo CD's {@code InvalidSpecError} message
   */
  @Override
  public Target resolve(ApplicationDestination destination, String app) {
    String name = destination.name().orElse("").strip();
    String server = destination.server().orElse("").strip();
    if (!name.isEmpty() && !server.isEmpty()) {
      // Argo CD accepts both only when the server is the one the name resolves to
      Optional<RegisteredCluster> byName = byName(name);
      if (byName.isEmpty() || !trim(byName.get().server()).equals(trim(server))) {
        throw new UnknownClusterException(
            "application destination can't have both name and server defined: "
                + name
                + " "
                + server);
      }
      return new Target(byName.get(), connection(byName.get()));
    }
    if (!name.isEmpty()) {
      List<RegisteredCluster> named =
          entries.stream().map(e -> e.cluster).filter(c -> c.name().equals(name)).toList();
      if (named.isEmpty()) {
        throw new UnknownClusterException(
            "Application destination spec for "
                + app
                + " is invalid: unable to find destination server: there are no clusters with"
                + " this name: "
                + name);
      }
      if (named.size() > 1) {
        throw new UnknownClusterException(
            "Application destination spec for "
                + app
                + " is invalid: unable to find destination server: there are "
                + named.size()
                + " clusters with the same name: "
                + named.stream().map(RegisteredCluster::server).toList());
      }
      return new Target(named.get(0), connection(named.get(0)));
    }
    if (server.isEmpty()) {
      throw new UnknownClusterException("Destination server missing from app spec");
    }
    RegisteredCluster c =
        byServer(server)
            .orElseThrow(
                () ->
                    new UnknownClusterException(
                        "cluster '" + server + "' has not been configured"));
    return new Target(c, connection(c));
  }

  @Override
  public void close() {
    entries.forEach(Entry::close);
  }

  private static String trim(String server) {
    String s = server.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * A fabric8 configuration for a cluster read from a Secret: its server and credentials, with
   * fabric8's own retries off (Glidepath retries itself).
   */
  public static Config config(RegisteredCluster cluster) {
    ClusterCredentials c = cluster.credentials();
    ConfigBuilder b =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(cluster.server())
            .withNamespace("default")
            .withTrustCerts(c.insecure())
            .withDisableHostnameVerification(c.insecure())
            .withRequestRetryBackoffLimit(0)
            .withHttp2Disable(true);
    c.bearerToken().ifPresent(b::withOauthToken);
    c.username().ifPresent(b::withUsername);
    c.password().ifPresent(b::withPassword);
    c.caData().ifPresent(b::withCaCertData);
    c.certData().ifPresent(b::withClientCertData);
    c.keyData().ifPresent(b::withClientKeyData);
    c.proxyUrl()
        .ifPresent(
            p -> {
              b.withHttpsProxy(p);
              b.withHttpProxy(p);
            });
    return b.build();
  }

  /** Builds a {@link ClusterRegistry}. Not thread-safe. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();
    private RequestRetry retry = RequestRetry.DEFAULT;

    private Builder() {}

    /**
     * The retry policy of the connections the registry opens (default {@link
     * RequestRetry#DEFAULT}).
     */
    public Builder retry(RequestRetry retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** The in-cluster default ({@code in-cluster}, {@code https://kubernetes.default.svc}). */
    public Builder inCluster(KubeCluster connection) {
      return cluster(RegisteredCluster.inCluster(), connection);
    }

    /** A cluster served by an existing connection, which stays the caller's to close. */
    public Builder cluster(RegisteredCluster cluster, KubeCluster connection) {
      Objects.requireNonNull(connection, "connection");
      return add(new Entry(cluster, () -> connection, false));
    }

    /**
     * The cluster an Argo CD cluster Secret describes, connected with its credentials on first use.
     * A Secret for the in-cluster server gives the in-cluster default its name, labels and
     * annotations; the connection stays the in-cluster one.
     */
    public Builder secret(Resource secret) {
      RegisteredCluster c = ClusterSecrets.read(secret);
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        if (!e.cluster.fromSecret() && trim(e.cluster.server()).equals(trim(c.server()))) {
          entries.set(i, new Entry(c, e.connector, e.owned));
          return this;
        }
      }
      RequestRetry r = retry;
      return add(new Entry(c, () -> KubeCluster.connect(config(c), r), true));
    }

    /** Every cluster Secret in the YAML files directly in {@code dir} (other kinds ignored). */
    public Builder secretsFrom(Path dir) {
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files =
            s.filter(
                    p ->
                        Files.isRegularFile(p)
                            && (p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")))
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list cluster Secrets in " + dir, e);
      }
      for (Path f : files) {
        for (Resource r : Yaml.readResources(f)) {
          if (r.kind().equals("Secret") && ClusterSecrets.isClusterSecret(r)) {
            secret(r);
          }
        }
      }
      return this;
    }

    /** Every cluster Secret in {@code namespace} of {@code cluster} (read once, now). */
    public Builder secretsIn(KubeCluster cluster, String namespace) {
      for (Resource r : ClusterSecretLister.list(cluster, namespace)) {
        secret(r);
      }
      return this;
    }

    /**
     * Every context of a kubeconfig file as a cluster named after the context, at its cluster's
     * server; each connects with fabric8's kubeconfig support (its user's token, certificates or
     * exec plugin). With {@code currentIsInCluster}, the current context also serves the in-cluster
     * default.
     */
    public Builder kubeconfig(Path file, boolean currentIsInCluster) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read kubeconfig " + file, e);
      }
      JsonNode tree = Yaml.readTree(text, file.toString());
      String current = tree.path("current-context").asString("");
      for (JsonNode ctx : tree.path("contexts")) {
        String name = ctx.path("name").asString("");
        String clusterName = ctx.path("context").path("cluster").asString("");
        String server = "";
        for (JsonNode c : tree.path("clusters")) {
          if (c.path("name").asString("").equals(clusterName)) {
            server = c.path("cluster").path("server").asString("");
          }
        }
        if (name.isEmpty() || server.isEmpty()) {
          throw new ClusterException(
              "kubeconfig " + file, "contexts", "context " + name + " names no cluster server");
        }
        RequestRetry r = retry;
        Supplier<KubeCluster> connect =
            () ->
                KubeCluster.connect(
                    Config.fromKubeconfig(name, text, file.toAbsolutePath().toString()), r);
        add(
            new Entry(
                new RegisteredCluster(
                    name,
                    server,
                    List.of(),
                    true,
                    "",
                    Map.of(),
                    Map.of(),
                    Optional.empty(),
                    "kubeconfig context " + name,
                    false,
                    ClusterCredentials.NONE),
                connect,
                true));
        if (currentIsInCluster && name.equals(current)) {
          Entry shared = entries.get(entries.size() - 1);
          add(new Entry(RegisteredCluster.inCluster(), shared::connection, false));
        }
      }
      return this;
    }

    private Builder add(Entry e) {
      for (Entry other : entries) {
        if (other.cluster.name().equals(e.cluster.name())
            && trim(other.cluster.server()).equals(trim(e.cluster.server()))) {
          throw new ClusterException(
              e.cluster.origin(),
              "name",
              "cluster "
                  + e.cluster.name()
                  + " at "
                  + e.cluster.server()
                  + " is already known ("
                  + other.cluster.origin()
                  + ")");
        }
      }
      entries.add(e);
      return this;
    }

    public ClusterRegistry build() {
      return new ClusterRegistry(entries);
    }
  }

  /**
   * A resolved destination: the cluster as registered and its connection.
   *
   * @param cluster the registered cluster
   * @param connection its connection (one per cluster, shared)
   */
  public record Target(RegisteredCluster cluster, KubeCluster connection) {
    public Target {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(connection, "connection");
    }
  }
}
