package io.glidepath.core.yaml;

import io.glidepath.core.Origin;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One document of a YAML stream, as a Jackson tree, with the place it starts.
 *
 * @param content the document's content; an empty document is {@code NullNode}
 * @param origin the source, document index and the line where the document's content starts
 */
public record YamlDocument(JsonNode content, Origin origin) {
  public YamlDocument {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(origin, "origin");
  }
}
