package io.glidepath.helm;

import io.glidepath.core.render.RenderException;

/**
 * A chart's {@code values.schema.json} refers to a schema outside itself: a file ({@code
 * file:///...}, a relative path) or a URL ({@code https://...}). Helm would read that file or fetch
 * that URL while validating the values; Glidepath refuses the chart before Helm starts, so that a
 * chart can neither read a file outside the repository nor make a network request. Neither the
 * referenced file's content nor the schema's is in the message.
 */
public final class SchemaReferenceException extends RenderException {
  private static final long serialVersionUID = 1L;

  private final String schema;
  private final String reference;
  private final String pointer;

  public SchemaReferenceException(String schema, String reference, String pointer, String why) {
    super(
        "values.schema.json "
            + schema
            + " refers to \""
            + reference
            + "\" (at "
            + (pointer.isEmpty() ? "/" : pointer)
            + "): "
            + why,
        schema,
        null);
    this.schema = schema;
    this.reference = reference;
    this.pointer = pointer;
  }

  /**
   * The schema file, relative to the repository root; inside a packaged subchart {@code
   * charts/sub-1.0.0.tgz!/sub/values.schema.json}.
   */
  public String schema() {
    return schema;
  }

  /** The reference as written ({@code $ref}, {@code $schema}, ...), credentials removed. */
  public String reference() {
    return reference;
  }

  /** Where in the schema the reference is, as a JSON pointer. */
  public String pointer() {
    return pointer;
  }
}
