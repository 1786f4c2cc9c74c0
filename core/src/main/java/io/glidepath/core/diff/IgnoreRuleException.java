package io.glidepath.core.diff;

import io.glidepath.core.GlidepathException;

/**
 * An {@code ignoreDifferences} rule that Glidepath cannot use: a jq expression outside the accepted
 * subset (see {@link IgnoreDifference}) or a malformed JSON Pointer.
 *
 * <p>{@link #expression()} and {@link #position()} (0-based character offset) say where.
 */
public final class IgnoreRuleException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final String expression;
  private final int position;

  public IgnoreRuleException(String expression, int position, String problem) {
    super(
        "ignoreDifferences expression \""
            + expression
            + "\" at position "
            + position
            + ": "
            + problem
            + " (accepted: paths like .spec.replicas, .a[\"b\"], .list[], .list[0], pipes and"
            + " select(.path == literal) / select(.path != literal))");
    this.expression = expression;
    this.position = position;
  }

  public String expression() {
    return expression;
  }

  public int position() {
    return position;
  }
}
