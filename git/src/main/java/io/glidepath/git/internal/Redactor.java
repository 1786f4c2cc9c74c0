package io.glidepath.git.internal;

import io.glidepath.core.NetworkFailure;
import io.glidepath.core.Redaction;
import io.glidepath.git.GitCredentials;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Removes credentials from text before it reaches a message, a log line or an exception: the
 * user-info part of every URL ({@link Redaction#urls(String)}), and every secret value the
 * credentials hold, wherever it appears.
 */
public final class Redactor {
  /** What replaces a secret. */
  public static final String MASK = "***";

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  /** A redactor for the secrets of {@code credentials}. */
  public static Redactor of(GitCredentials credentials) {
    List<String> secrets = new ArrayList<>();
    if (credentials instanceof GitCredentials.HttpsToken t) {
      secrets.add(t.token());
    } else if (credentials instanceof GitCredentials.SshKey k) {
      k.passphrase().ifPresent(secrets::add);
      secrets.add(k.privateKey());
      k.privateKey().lines().filter(l -> l.length() >= 16).forEach(secrets::add);
    }
    // the longest first, so that a secret containing another is masked whole
    secrets.removeIf(s -> s.length() < 4);
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(secrets);
  }

  /** The text with credentials masked; null stays null. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return Redaction.urls(out);
  }

  /**
   * A copy of {@code error}'s chain whose messages are redacted; the copies keep the stack traces
   * and name the original class in their message.
   */
  public Throwable redact(Throwable error) {
    if (error == null) {
      return null;
    }
    RedactedCause copy =
        new RedactedCause(
            error.getClass().getName() + ": " + redact(String.valueOf(error.getMessage())),
            error.getCause() == error ? null : redact(error.getCause()));
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  /** The message of {@code error}, with its root cause's when that adds something, redacted. */
  public String describe(Throwable error) {
    String top = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootMessage = root == error ? null : root.getMessage();
    String text = rootMessage == null || top.contains(rootMessage) ? top : top + ": " + rootMessage;
    // the network cause in words ("connection refused (nothing listens on that port)"), unless
    // the library's text says it already
    String words = NetworkFailure.describe(error).orElse(null);
    if (words != null) {
      int hint = words.indexOf(" (");
      String key = (hint < 0 ? words : words.substring(0, hint)).toLowerCase(Locale.ROOT);
      if (!text.toLowerCase(Locale.ROOT).contains(key)) {
        text = text + " (" + words + ")";
      }
    }
    return redact(text);
  }

  /** A cause whose message has been redacted. */
  static final class RedactedCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedactedCause(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
