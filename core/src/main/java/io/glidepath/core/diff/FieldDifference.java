package io.glidepath.core.diff;

import io.glidepath.core.resource.ResourceKey;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One field that differs between two environments: the resource, the field path ({@code
 * spec.template.spec.containers[name=app].resources.limits.cpu}) and the value in each (empty when
 * the field is absent there). Secret values are masked.
 *
 * @param resource the resource, matched across environments by group, kind and name (its namespace
 *     is {@code ""}: environments usually live in different namespaces)
 * @param path the field path; list elements with a {@code name} show as {@code [name=x]}, others by
 *     index
 * @param a the value in the first environment
 * @param b the value in the second environment
 */
public record FieldDifference(
    ResourceKey resource, String path, Optional<JsonNode> a, Optional<JsonNode> b) {
  public FieldDifference {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(path, "path");
    a = Objects.requireNonNull(a, "a").map(JsonNode::deepCopy);
    b = Objects.requireNonNull(b, "b").map(JsonNode::deepCopy);
  }
}
