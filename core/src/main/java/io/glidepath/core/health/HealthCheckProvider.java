package io.glidepath.core.health;

import java.util.List;

/**
 * Health checks a library ships for its own custom resources, found through {@link
 * java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.glidepath.core.health.HealthCheckProvider} (or {@code provides} it in {@code
 * module-info.java}) and every {@link HealthAssessor#ofDefaults()} (and every {@link
 * HealthAssessor.Builder} that does not turn {@link HealthAssessor.Builder#discoverProviders} off)
 * uses its checks.
 *
 * <pre>{@code
 * public final class BackupChecks implements HealthCheckProvider {
 *   public List<Registration> checks() {
 *     return List.of(new Registration("backup.example.com", "Backup", "example backups", new BackupCheck()));
 *   }
 * }
 * }</pre>
 *
 * <p>A discovered check answers before Glidepath's built-in checks and after the checks given to a
 * builder and the Lua scripts of an {@code argocd-cm}. Implementations need a public no-argument
 * constructor.
 */
public interface HealthCheckProvider {
  /** The checks, each for a group/kind pattern. */
  List<Registration> checks();

  /**
   * One check for the resources whose group and kind match the patterns ({@code *} matches any run
   * of characters: {@code "*.crossplane.io"}, {@code "*"}).
   *
   * @param group API group pattern ({@code ""} for the core group)
   * @param kind kind pattern
   * @param name the name {@code glidepath health} prints for this check
   * @param check the check
   */
  record Registration(String group, String kind, String name, HealthCheck check) {
    public Registration {
      java.util.Objects.requireNonNull(group, "group");
      java.util.Objects.requireNonNull(kind, "kind");
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(check, "check");
      if (kind.isEmpty()) {
        throw new IllegalArgumentException("kind must not be empty");
      }
    }
  }
}
