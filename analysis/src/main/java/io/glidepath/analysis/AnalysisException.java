package io.glidepath.analysis;

import io.glidepath.core.GlidepathException;

/**
 * The root of every exception the analysis module throws for bad input or a failed operation.
 *
 * <p>Subclasses carry structured fields: {@link TemplateException} the source and field path,
 * {@link MissingArgumentException} the template, metric and argument names. Messages never contain
 * an argument value that came from a secret.
 */
public class AnalysisException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  public AnalysisException(String message) {
    super(message);
  }

  public AnalysisException(String message, Throwable cause) {
    super(message, cause);
  }
}
