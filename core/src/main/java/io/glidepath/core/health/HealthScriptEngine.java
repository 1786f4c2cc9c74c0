package io.glidepath.core.health;

/**
 * Runs {@link HealthScript}s. Found through {@link java.util.ServiceLoader}; module {@code
 * glidepath-health-lua} provides the Lua engine. Without one on the class path, a {@link
 * HealthAssessor.Builder} given a script fails with a {@link HealthScriptException} that says so,
 * rather than ignoring the script.
 *
 * <p>Implementations are thread-safe.
 */
public interface HealthScriptEngine {
  /**
   * The check that runs {@code script}.
   *
   * @throws HealthScriptException when the script does not compile (the message names {@link
   *     HealthScript#key()})
   */
  HealthCheck compile(HealthScript script);
}
