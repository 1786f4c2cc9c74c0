package io.glidepath.core.app;

import java.util.Objects;

/**
 * One entry of an Application's {@code spec.info}: free-form name and value shown next to the
 * application (Argo CD shows them in its UI). Glidepath keeps them in the model and does nothing
 * else with them.
 *
 * <pre>{@code
 * Info runbook = new Info("Runbook", "https://wiki.example.com/trade-service");
 * }</pre>
 *
 * @param name the entry's name
 * @param value its value
 */
public record Info(String name, String value) {
  public Info {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
