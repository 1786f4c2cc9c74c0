package io.glidepath.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An SSH server on 127.0.0.1 (Apache MINA SSHD, in process) that serves the bare repositories under
 * a directory by running {@code git upload-pack} / {@code git receive-pack}, accepting one client
 * public key. A test fixture for the SSH transport.
 */
final class SshGitServer implements AutoCloseable {
  private final SshServer sshd;
  private final KeyPair hostKey;

  private SshGitServer(SshServer sshd, KeyPair hostKey) {
    this.sshd = sshd;
    this.hostKey = hostKey;
  }

  static KeyPair newKeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static SshGitServer start(Path base, PublicKey authorized) throws Exception {
    KeyPair hostKey = newKeyPair();
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, authorized));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setCommandFactory((channel, command) -> new GitCommand(base, command));
    sshd.start();
    return new SshGitServer(sshd, hostKey);
  }

  int port() {
    return sshd.getPort();
  }

  /** An ssh:// URL of {@code repoDir}. */
  String url(Path repoDir) {
    return "ssh://git@127.0.0.1:" + port() + repoDir.toAbsolutePath();
  }

  /** A known_hosts line for this server. */
  String knownHosts() {
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n";
  }

  @Override
  public void close() throws IOException {
    sshd.stop(true);
  }

  /** Runs the git service a client asked for, on a repository under the base directory only. */
  private static final class GitCommand implements Command {
    private final Path base;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    GitCommand(Path base, String command) {
      this.base = base;
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      String[] parts = command.split(" ", 2);
      String service = parts[0];
      if (!List.of("git-upload-pack", "git-receive-pack").contains(service) || parts.length < 2) {
        err.write(("unsupported command\n").getBytes());
        err.flush();
        exit.onExit(1);
        return;
      }
      Path repo = Path.of(parts[1].replace("'", "")).normalize();
      if (!repo.startsWith(base)) {
        err.write(("no such repository\n").getBytes());
        err.flush();
        exit.onExit(1);
        return;
      }
      ProcessBuilder pb = new ProcessBuilder("git", service.substring(4), repo.toString());
      pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
      process = pb.start();
      Thread toProcess = pump(in, process.getOutputStream(), true, "ssh-in");
      Thread fromProcess = pump(process.getInputStream(), out, false, "ssh-out");
      Thread errors = pump(process.getErrorStream(), err, false, "ssh-err");
      Thread waiter =
          new Thread(
              () -> {
                try {
                  int code = process.waitFor();
                  fromProcess.join();
                  errors.join();
                  toProcess.interrupt();
                  exit.onExit(code);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "ssh-git-wait");
      waiter.setDaemon(true);
      waiter.start();
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeTo, String name) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[8192];
                try {
                  int n;
                  while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                  }
                } catch (IOException ignored) {
                  // the other side closed
                } finally {
                  if (closeTo) {
                    try {
                      to.close();
                    } catch (IOException ignored) {
                      // already closed
                    }
                  }
                }
              },
              name);
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }
}
