package io.glidepath.core;

import java.util.Objects;

/**
 * Where a piece of input came from: a file (or another named source), the index of the YAML
 * document in that file, and a 1-based line and column.
 *
 * <p>A line or column of 0 means unknown. {@code toString()} gives {@code values.yaml:12:3}, the
 * form editors and compilers use, so that a person can jump to the place.
 *
 * @param source the file path or a name such as {@code <stdin>}; never null
 * @param documentIndex the 0-based index of the document in a multi-document stream
 * @param line the 1-based line, or 0 when unknown
 * @param column the 1-based column, or 0 when unknown
 */
public record Origin(String source, int documentIndex, int line, int column) {
  /** An origin for values built in code. */
  public static final Origin UNKNOWN = new Origin("<unknown>", 0, 0, 0);

  public Origin {
    Objects.requireNonNull(source, "source");
    if (documentIndex < 0) {
      throw new IllegalArgumentException("documentIndex must be >= 0, but was " + documentIndex);
    }
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException(
          "line and column must be >= 0, but were " + line + " and " + column);
    }
  }

  /** An origin naming only a source, with unknown position. */
  public static Origin of(String source) {
    return new Origin(source, 0, 0, 0);
  }

  /** This origin at another line and column of the same document. */
  public Origin at(int line, int column) {
    return new Origin(source, documentIndex, line, column);
  }

  @Override
  public String toString() {
    if (line == 0) {
      return source;
    }
    return column == 0 ? source + ":" + line : source + ":" + line + ":" + column;
  }
}
