package io.glidepath.git;

import io.glidepath.core.Redaction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote repository: its URL and the credentials to reach it.
 *
 * <p>An HTTP(S) URL that carries credentials, as CI scripts often write it ({@code
 * https://x-access-token:TOKEN@git.example.com/org/gitops-configs.git}), is split: the user name
 * and token become {@link GitCredentials.HttpsToken} and {@link #url()} keeps only the rest, so the
 * token never reaches a log line or an exception. {@code toString()} shows the URL and the kind of
 * credentials, never their values.
 *
 * <pre>{@code
 * GitRemote remote = GitRemote.of("https://git.example.com/org/gitops-configs.git",
 *     GitCredentials.httpsToken("x-access-token", token));
 * }</pre>
 *
 * @param url the URL without HTTP(S) credentials ({@code https://}, {@code ssh://}, scp-like {@code
 *     git@host:org/repo.git}, {@code git://}, {@code file://} or a local path)
 * @param credentials how to authenticate
 */
public record GitRemote(String url, GitCredentials credentials) {
  private static final Pattern HTTP_USERINFO =
      // the user info runs to the last @ of the authority: a raw @ in a password stays in it
      Pattern.compile("(?i)^(https?://)([^/?#]*)@([^@/?#]*(?:[/?#].*)?)$", Pattern.DOTALL);

  public GitRemote {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentials, "credentials");
    if (url.isBlank()) {
      throw new IllegalArgumentException("url must not be blank");
    }
    Matcher m = HTTP_USERINFO.matcher(url);
    if (m.matches()) {
      String userInfo = m.group(2);
      url = m.group(1) + m.group(3);
      if (credentials instanceof GitCredentials.None) {
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String token = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        // a bare token as user name (https://TOKEN@host) is how several hosts take tokens
        credentials =
            token.isEmpty()
                ? (user.isEmpty()
                    ? GitCredentials.none()
                    : new GitCredentials.HttpsToken("x-access-token", user))
                : new GitCredentials.HttpsToken(user, token);
      }
    }
  }

  /** A remote without credentials (or with credentials in an HTTP(S) URL, which are moved out). */
  public static GitRemote of(String url) {
    return new GitRemote(url, GitCredentials.none());
  }

  /** A remote with credentials. */
  public static GitRemote of(String url, GitCredentials credentials) {
    return new GitRemote(url, credentials);
  }

  /** This remote with other credentials. */
  public GitRemote withCredentials(GitCredentials credentials) {
    return new GitRemote(url, credentials);
  }

  @Override
  public String toString() {
    String kind =
        credentials instanceof GitCredentials.HttpsToken
            ? "https-token"
            : credentials instanceof GitCredentials.SshKey ? "ssh-key" : "none";
    return "GitRemote[" + Redaction.url(url) + ", credentials=" + kind + "]";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
