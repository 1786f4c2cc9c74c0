package io.glidepath.core.repo;

import io.glidepath.core.internal.repo.ArgoRepoConfig;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The repository credentials Argo CD keeps in its namespace, shared by Git, Helm and OCI sources:
 *
 * <ul>
 *   <li>Secrets labelled {@code argocd.argoproj.io/secret-type: repository}: one repository each
 *       ({@code url}, {@code username}, {@code password}, {@code bearerToken}, {@code
 *       sshPrivateKey}, {@code tlsClientCertData}/{@code tlsClientCertKey}, {@code insecure},
 *       {@code enableOCI}, {@code type}, {@code name}, {@code project}, ...);
 *   <li>Secrets labelled {@code repo-creds}: credential templates, used for every repository whose
 *       URL starts with theirs (the longest such prefix wins) when no repository Secret matches;
 *   <li>the ConfigMap {@code argocd-tls-certs-cm}: PEM certificates of the CAs to trust, by server
 *       name; {@code argocd-ssh-known-hosts-cm}: the SSH known hosts.
 * </ul>
 *
 * <p>Read them from files (what {@code kubectl get secret -o yaml} prints, or the manifests you
 * apply) or from any list of objects, e.g. those the kube module reads from the cluster:
 *
 * <pre>{@code
 * RepoCredentialStore store = RepoCredentialStore.read(Path.of("argocd-repositories.yaml"));
 * Optional<RepoCredentials> c = store.find("oci://registry.example.com/charts/ingress-nginx");
 * }</pre>
 *
 * <p>A field Glidepath cannot honour (GitHub App and cloud identity fields, proxies, Git LFS) is a
 * {@link RepoCredentialsException} naming the Secret and the field, never ignored. Other Secrets
 * and ConfigMaps in the input are not repository settings and are skipped. Values are never shown
 * in {@code toString()}, messages or logs. Immutable and thread-safe.
 */
public interface RepoCredentialStore {
  /** A store without any credentials, CA certificates or known hosts. */
  RepoCredentialStore EMPTY = of(List.of());

  /**
   * The credentials to use for {@code repoUrl}: the repository Secret whose URL is the same
   * (ignoring case, a trailing {@code /} or {@code .git}, and an {@code oci://} scheme), else the
   * {@code repo-creds} template with the longest URL prefix of it, applied to it.
   */
  Optional<RepoCredentials> find(String repoUrl);

  /** Every repository Secret, in the order read (for Helm repositories named by name). */
  List<RepoCredentials> repositories();

  /**
   * The PEM certificates {@code argocd-tls-certs-cm} holds for {@code serverName} (a host name,
   * without a port), to trust in addition to the system's.
   */
  Optional<String> tlsCertificates(String serverName);

  /** The {@code ssh_known_hosts} of {@code argocd-ssh-known-hosts-cm}; empty when none. */
  String sshKnownHosts();

  /**
   * A store of Argo CD's repository Secrets and ConfigMaps among {@code objects}.
   *
   * @throws RepoCredentialsException naming the object and field of a value it cannot use
   */
  static RepoCredentialStore of(Collection<Resource> objects) {
    return ArgoRepoConfig.of(objects);
  }

  /**
   * A store of credentials given in code (no CA certificates, no known hosts); each is a
   * repository, or a template when {@link RepoCredentials#template()}.
   */
  static RepoCredentialStore ofCredentials(Collection<RepoCredentials> credentials) {
    return ArgoRepoConfig.ofCredentials(credentials);
  }

  /**
   * Reads Argo CD's repository Secrets and ConfigMaps from YAML files (several documents each, or
   * {@code List}s).
   *
   * @throws io.glidepath.core.yaml.YamlException when a file cannot be read
   * @throws RepoCredentialsException naming the object and field of a value it cannot use
   */
  static RepoCredentialStore read(Path... files) {
    List<Resource> objects = new ArrayList<>();
    for (Path f : files) {
      objects.addAll(Yaml.readResources(f));
    }
    return of(objects);
  }
}
