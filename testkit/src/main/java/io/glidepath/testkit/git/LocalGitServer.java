package io.glidepath.testkit.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Bare git repositories on the local disk, served over {@code git://} by a real {@code git daemon}
 * on 127.0.0.1 (push enabled), and reachable as {@code file://} URLs and, on request, over smart
 * HTTP with an optional token ({@link #httpUrl}, {@link #requireHttpToken}).
 *
 * <p>Every repository refuses non-fast-forward pushes ({@code receive.denyNonFastForwards}), like a
 * hosted remote with a protected branch. Use it to test code that clones, fetches, watches and
 * pushes without a network:
 *
 * <pre>{@code
 * try (LocalGitServer git = LocalGitServer.start()) {
 *   git.seed("gitops", Path.of("src/test/resources/gitops"), "initial");
 *   String url = git.url("gitops");            // git://127.0.0.1:PORT/gitops.git
 *   String head = git.commitFiles("gitops", Map.of("a.txt", "x\n"), "change a");
 * }
 * }</pre>
 *
 * <p>It drives the {@code git} command-line tool (no library), with a private, empty global
 * configuration so that the user's {@code ~/.gitconfig} never applies. {@link #gitAvailable()}
 * tells whether the tool is installed ({@code apt-get install git}).
 *
 * <p>Thread-safe: commands on different repositories may run concurrently; commands on the same
 * repository are serialised.
 */
public final class LocalGitServer implements AutoCloseable {
  /** The branch every seeded repository starts with. */
  public static final String DEFAULT_BRANCH = "main";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path root;
  private final Path repos;
  private final Path scratch;
  private final Path emptyConfig;
  private final int port;
  private Process daemon;
  private SmartHttpEndpoint http;
  private int commitCounter;

  private LocalGitServer(Path root, int port) throws IOException {
    this.root = root;
    this.repos = Files.createDirectories(root.resolve("repos"));
    this.scratch = Files.createDirectories(root.resolve("scratch"));
    this.emptyConfig = Files.writeString(root.resolve("gitconfig"), "");
    this.port = port;
  }

  /** Whether the {@code git} tool is on the PATH. */
  public static boolean gitAvailable() {
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts a daemon on a free port of 127.0.0.1 serving a new temporary directory. */
  public static LocalGitServer start() {
    try {
      LocalGitServer server =
          new LocalGitServer(Files.createTempDirectory("glidepath-git-server"), freePort());
      server.startDaemon();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start git daemon", e);
    }
  }

  /** The port the daemon listens on (stays the same across {@link #stopDaemon()} and restart). */
  public int port() {
    return port;
  }

  /** The directory holding the bare repositories ({@code NAME.git}). */
  public Path baseDirectory() {
    return repos;
  }

  /** {@code git://127.0.0.1:PORT/NAME.git}. */
  public String url(String name) {
    return "git://127.0.0.1:" + port + "/" + checkName(name) + ".git";
  }

  /**
   * {@code http://127.0.0.1:PORT/NAME.git}: the same bare repository over git's smart HTTP protocol
   * ({@code git http-backend}), push enabled; the endpoint starts on first use.
   */
  public synchronized String httpUrl(String name) {
    return "http://127.0.0.1:" + http().port() + "/" + checkName(name) + ".git";
  }

  /**
   * Makes the HTTP endpoint require HTTP Basic authentication with this user name and token (as
   * hosted Git services take {@code x-access-token} and a token); wrong or missing credentials get
   * 401.
   */
  public synchronized void requireHttpToken(String username, String token) {
    http().requireToken(Objects.requireNonNull(username), Objects.requireNonNull(token));
  }

  private SmartHttpEndpoint http() {
    if (http == null) {
      try {
        http =
            new SmartHttpEndpoint(
                repos,
                Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", emptyConfig.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the git HTTP endpoint", e);
      }
    }
    return http;
  }

  /** A {@code file://} URL of the same bare repository. */
  public String fileUrl(String name) {
    return repoDir(name).toUri().toString();
  }

  /** The bare repository's directory. */
  public Path repoDir(String name) {
    return repos.resolve(checkName(name) + ".git");
  }

  /** Whether the daemon process is running. */
  public synchronized boolean isRunning() {
    return daemon != null && daemon.isAlive();
  }

  /** Stops the daemon (the repositories stay); clients then see the remote as down. */
  public synchronized void stopDaemon() {
    if (daemon == null) {
      return;
    }
    Process p = daemon;
    daemon = null;
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the daemon again on the same port after {@link #stopDaemon()}. */
  public synchronized void startDaemon() {
    if (isRunning()) {
      return;
    }
    try {
      List<String> cmd =
          List.of(
              "git",
              "daemon",
              "--export-all",
              "--enable=receive-pack",
              "--reuseaddr",
              "--listen=127.0.0.1",
              "--port=" + port,
              "--base-path=" + repos,
              repos.toString());
      ProcessBuilder pb = new ProcessBuilder(cmd);
      environment(pb);
      pb.redirectErrorStream(true);
      pb.redirectOutput(root.resolve("daemon.log").toFile());
      daemon = pb.start();
      awaitPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start git daemon", e);
    }
  }

  /** Creates an empty bare repository that refuses non-fast-forward pushes; returns its URL. */
  public synchronized String createBare(String name) {
    Path dir = repoDir(name);
    if (Files.exists(dir)) {
      throw new IllegalStateException("repository " + name + " already exists");
    }
    git(repos, "init", "--quiet", "--bare", "--initial-branch=" + DEFAULT_BRANCH, dir.toString());
    git(dir, "config", "receive.denyNonFastForwards", "true");
    git(dir, "config", "receive.denyDeletes", "true");
    return url(name);
  }

  /**
   * Creates a bare repository whose {@code main} branch holds one commit with the files of {@code
   * content} (copied, symlinks kept as links); returns the commit id.
   */
  public synchronized String seed(String name, Path content, String message) {
    createBare(name);
    Path work = newWorkDir();
    git(work, "init", "--quiet", "--initial-branch=" + DEFAULT_BRANCH, work.toString());
    copyTree(content, work);
    git(work, "add", "--all");
    commitAndPushBranch(name, work, DEFAULT_BRANCH, message);
    return head(name, DEFAULT_BRANCH);
  }

  /**
   * Commits {@code files} (path relative to the repository root to UTF-8 content; a null content
   * deletes the file) on top of {@code main} and pushes; returns the new commit id.
   */
  public String commitFiles(String name, Map<String, String> files, String message) {
    return commitFiles(name, DEFAULT_BRANCH, files, message);
  }

  /** Like {@link #commitFiles(String, Map, String)} on another branch (created when absent). */
  public synchronized String commitFiles(
      String name, String branch, Map<String, String> files, String message) {
    Path work = checkout(name, branch);
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path file = work.resolve(e.getKey()).normalize();
      if (!file.startsWith(work)) {
        throw new IllegalArgumentException("path escapes the repository: " + e.getKey());
      }
      try {
        if (e.getValue() == null) {
          Files.deleteIfExists(file);
        } else {
          Files.createDirectories(file.getParent());
          Files.writeString(file, e.getValue());
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    git(work, "add", "--all");
    git(work, "checkout", "--quiet", "-B", branch);
    commitAndPushBranch(name, work, branch, message);
    return head(name, branch);
  }

  /** Makes {@code count} small commits on {@code main} in one push (for history-sized tests). */
  public synchronized String commitMany(String name, int count, String fileName) {
    Path work = checkout(name, DEFAULT_BRANCH);
    for (int i = 0; i < count; i++) {
      try {
        Files.writeString(work.resolve(fileName), "line " + i + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      git(work, "add", "--all");
      commit(work, "commit " + i);
    }
    git(work, "push", "--quiet", fileUrl(name), "HEAD:refs/heads/" + DEFAULT_BRANCH);
    return head(name, DEFAULT_BRANCH);
  }

  /**
   * Moves {@code branch} to {@code commit} inside the bare repository, as a force-push would
   * (history may be rewritten; the server-side non-fast-forward rule does not apply).
   */
  public synchronized void resetBranch(String name, String branch, String commit) {
    git(repoDir(name), "update-ref", "refs/heads/" + branch, commit);
  }

  /** Creates an annotated tag in the bare repository. */
  public synchronized void tag(String name, String tag, String commit, String message) {
    git(repoDir(name), "tag", "-a", tag, commit, "-m", message);
  }

  /** The commit id {@code revision} names in the bare repository. */
  public String head(String name, String revision) {
    return git(repoDir(name), "rev-parse", revision + "^{commit}").strip();
  }

  /** The content of {@code path} at {@code revision} in the bare repository. */
  public String show(String name, String revision, String path) {
    return git(repoDir(name), "show", revision + ":" + path);
  }

  /**
   * Runs {@code git ARGS} in {@code dir} with the server's isolated configuration and returns the
   * standard output; a non-zero exit is an {@link IllegalStateException} with the output.
   */
  public String git(Path dir, String... args) {
    return run(dir, Map.of(), args);
  }

  private String run(Path dir, Map<String, String> extraEnv, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    environment(pb);
    pb.environment().putAll(extraEnv);
    try {
      Path err = Files.createTempFile(scratch, "stderr", ".txt");
      pb.redirectError(err.toFile());
      Process p = pb.start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
      }
      String stderr = Files.readString(err);
      Files.deleteIfExists(err);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "git " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + out + stderr);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the daemon and deletes every repository. */
  @Override
  public synchronized void close() {
    stopDaemon();
    if (http != null) {
      http.close();
      http = null;
    }
    deleteTree(root);
  }

  private Path checkout(String name, String branch) {
    Path work = newWorkDir();
    git(scratch, "clone", "--quiet", fileUrl(name), work.toString());
    String remoteBranches = git(work, "branch", "-r");
    if (remoteBranches.contains("origin/" + branch)) {
      git(work, "checkout", "--quiet", "-B", branch, "origin/" + branch);
    } else {
      git(work, "checkout", "--quiet", "-B", branch);
    }
    return work;
  }

  private void commitAndPushBranch(String name, Path work, String branch, String message) {
    commit(work, message);
    git(work, "push", "--quiet", fileUrl(name), "HEAD:refs/heads/" + branch);
  }

  private void commit(Path work, String message) {
    // distinct, deterministic timestamps: tests compare ids and order by time
    commitCounter++;
    String date = "@" + (1_767_225_600L + commitCounter) + " +0000";
    run(
        work,
        Map.of("GIT_AUTHOR_DATE", date, "GIT_COMMITTER_DATE", date),
        "-c",
        "commit.gpgsign=false",
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        message);
  }

  private Path newWorkDir() {
    try {
      return Files.createTempDirectory(scratch, "work");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void environment(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", emptyConfig.toString());
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_AUTHOR_NAME", "Test Author");
    env.put("GIT_AUTHOR_EMAIL", "author@example.com");
    env.put("GIT_COMMITTER_NAME", "Test Author");
    env.put("GIT_COMMITTER_EMAIL", "author@example.com");
  }

  private void awaitPort() throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!daemon.isAlive()) {
        throw new IOException("git daemon exited with " + daemon.exitValue() + ": " + readLog());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException("git daemon did not listen on port " + port + ": " + readLog());
        }
        try {
          // waiting for an external process to bind: there is no event to wait on
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  private String readLog() {
    try {
      return Files.readString(root.resolve("daemon.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches() || name.endsWith(".git")) {
      throw new IllegalArgumentException(
          "name must match " + NAME + " without .git, but was '" + name + "'");
    }
    return name;
  }

  private static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              Files.createDirectories(to.resolve(from.relativize(dir).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Path target = to.resolve(from.relativize(file).toString());
              if (Files.isSymbolicLink(file)) {
                Files.createSymbolicLink(target, Files.readSymbolicLink(file));
              } else {
                Files.copy(
                    file,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES,
                    LinkOption.NOFOLLOW_LINKS);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              d.toFile().setWritable(true);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
