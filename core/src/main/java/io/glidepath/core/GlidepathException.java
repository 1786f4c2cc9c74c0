package io.glidepath.core;

/**
 * The root of every exception Glidepath throws for bad input or a failed operation.
 *
 * <p>Subclasses carry structured fields (the file and line, the resource key, the HTTP status) so
 * that callers can react without parsing messages. Messages name the instance and what was wrong
 * with it, and never contain a secret value or a credential.
 *
 * <p>Misuse of an API (a null argument, a builder value out of range) is reported with {@link
 * IllegalArgumentException} or {@link IllegalStateException} instead.
 */
public class GlidepathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GlidepathException(String message) {
    super(message);
  }

  public GlidepathException(String message, Throwable cause) {
    super(message, cause);
  }
}
