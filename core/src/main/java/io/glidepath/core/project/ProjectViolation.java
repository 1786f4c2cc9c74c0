package io.glidepath.core.project;

import io.glidepath.core.resource.ResourceKey;
import java.util.Optional;

/**
 * One rule of a project that an application breaks.
 *
 * @param resource the resource that breaks it, when it is about one resource
 * @param rule the rule, e.g. {@code clusterResourceWhitelist}, {@code destinations}
 * @param message a sentence naming the resource, the rule and the project
 */
public record ProjectViolation(Optional<ResourceKey> resource, String rule, String message) {
  @Override
  public String toString() {
    return message;
  }
}
