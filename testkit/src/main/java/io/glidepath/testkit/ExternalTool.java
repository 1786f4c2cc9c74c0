package io.glidepath.testkit;

import io.glidepath.testkit.git.LocalGitServer;
import io.glidepath.testkit.oci.OciRegistry;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opentest4j.TestAbortedException;

/**
 * An external program some tests need (git, kubectl, prometheus), and the one rule for a test that
 * needs it: when the program is missing, the test is skipped on a developer's machine with a
 * message naming the install command, and fails when the environment variable {@code CI} is {@code
 * true} (a CI run must never pass by skipping).
 *
 * <pre>{@code
 * @BeforeAll
 * static void tools() {
 *   ExternalTool.require(ExternalTool.GIT, ExternalTool.PROMETHEUS);
 * }
 * }</pre>
 *
 * <p>Skips are reported by throwing opentest4j's {@link TestAbortedException}, which JUnit 5 (and
 * every JUnit Platform engine) reports as "skipped". Thread-safe; availability is probed on each
 * call.
 */
public enum ExternalTool {
  /** The {@code git} command line, for {@link LocalGitServer}. */
  GIT(
      () ->
          LocalGitServer.gitAvailable()
              ? Optional.empty()
              : Optional.of(
                  "the git tool is not installed; install it with: apt-get install -y git")),
  /** {@code kubectl} (1.32, which bundles kustomize v5.5), for conformance tests. */
  KUBECTL(
      () ->
          runs("kubectl", "version", "--client")
              ? Optional.empty()
              : Optional.of(
                  "kubectl is not on the PATH; install kubectl 1.32 (it bundles kustomize v5.5)")),
  /** The {@code prometheus} and {@code promtool} binaries, for {@link PrometheusServer}. */
  PROMETHEUS(PrometheusServer::unavailableReason),
  /** The CNCF distribution registry ({@code docker-registry}), for {@link OciRegistry}. */
  DOCKER_REGISTRY(OciRegistry::unavailableReason);

  private final Supplier<Optional<String>> probe;

  ExternalTool(Supplier<Optional<String>> probe) {
    this.probe = probe;
  }

  /** Why the tool cannot be used here, naming the install command; empty when it can. */
  public Optional<String> unavailableReason() {
    return probe.get();
  }

  /** Whether the tool can be used here. */
  public boolean available() {
    return unavailableReason().isEmpty();
  }

  /** Whether this is a CI run: the environment variable {@code CI} is {@code true}. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Returns normally when every tool is available; otherwise fails the calling test under CI (an
   * {@link AssertionError}) and skips it elsewhere (a {@link TestAbortedException}), naming every
   * missing tool and how to install it.
   */
  public static void require(ExternalTool... tools) {
    StringBuilder missing = new StringBuilder();
    for (ExternalTool tool : tools) {
      tool.unavailableReason()
          .ifPresent(why -> missing.append(missing.length() == 0 ? "" : "; ").append(why));
    }
    if (missing.length() == 0) {
      return;
    }
    if (underCi()) {
      throw new AssertionError("CI=true, so a missing tool fails this test: " + missing);
    }
    throw new TestAbortedException("skipped: " + missing);
  }

  /**
   * For a test that can run without the tool in a reduced form: fails under CI when the tool is
   * missing (an {@link AssertionError}), otherwise returns whether it is available.
   */
  public boolean requiredUnderCi() {
    Optional<String> why = unavailableReason();
    if (why.isPresent() && underCi()) {
      throw new AssertionError("CI=true, so a missing tool fails this test: " + why.get());
    }
    return why.isEmpty();
  }

  private static boolean runs(String... command) {
    if (!onPath(command[0])) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean onPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }
}
