package io.glidepath.core.health;

import java.util.Objects;

/**
 * Which check answered for a resource: Glidepath's built-in check for the kind, a Lua script of an
 * {@code argocd-cm} (named by its key), a Java {@link HealthCheck} (named by the name it was
 * registered under), the generic convention check, or none.
 *
 * @param type the kind of check
 * @param name the check's name: {@code "apps/Deployment"} for a built-in, the ConfigMap key for a
 *     Lua script, the registered name for Java, {@code "conventions"} for the generic check, {@code
 *     ""} for none
 */
public record CheckOrigin(Type type, String name) {
  /** The kinds of check, in the order {@code glidepath health} prints them. */
  public enum Type {
    BUILT_IN("built-in"),
    LUA("lua"),
    JAVA("java"),
    GENERIC("generic"),
    NONE("none");

    private final String word;

    Type(String word) {
      this.word = word;
    }

    /** The lower-case word used in output ({@code "built-in"}). */
    public String word() {
      return word;
    }
  }

  /** No check answers for the kind. */
  public static final CheckOrigin NONE = new CheckOrigin(Type.NONE, "");

  public CheckOrigin {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type.word() : type.word() + " " + name;
  }
}
