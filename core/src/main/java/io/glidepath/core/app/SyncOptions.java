package io.glidepath.core.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Argo CD sync options ({@code Key=Value}), as in an Application's {@code syncPolicy.syncOptions}
 * or a resource's {@code argocd.argoproj.io/sync-options} annotation (comma-separated).
 *
 * <p>Known keys and values: {@code Validate}, {@code CreateNamespace}, {@code PruneLast}, {@code
 * ApplyOutOfSyncOnly}, {@code Replace}, {@code ServerSideApply}, {@code Force}, {@code
 * FailOnSharedResource}, {@code RespectIgnoreDifferences}, {@code SkipDryRunOnMissingResource},
 * {@code ClientSideApplyMigration} ({@code true}/{@code false}); {@code Prune} and {@code Delete}
 * ({@code true}/{@code false}/{@code confirm}); {@code PrunePropagationPolicy} ({@code
 * foreground}/{@code background}/{@code orphan}). Anything else is rejected, so a typo does not
 * silently do nothing.
 *
 * <pre>{@code
 * SyncOptions o = SyncOptions.parse("Prune=false,ServerSideApply=true");
 * o.prune(); // PruneMode.DISABLED
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param options the options as written, in order
 */
public record SyncOptions(List<String> options) {
  /** No options: every default applies. */
  public static final SyncOptions NONE = new SyncOptions(List.of());

  private static final Set<String> BOOLEAN_KEYS =
      Set.of(
          "Validate",
          "CreateNamespace",
          "PruneLast",
          "ApplyOutOfSyncOnly",
          "Replace",
          "ServerSideApply",
          "Force",
          "FailOnSharedResource",
          "RespectIgnoreDifferences",
          "SkipDryRunOnMissingResource",
          "ClientSideApplyMigration");

  /** Whether a prune or delete may happen, per {@code Prune=...} / {@code Delete=...}. */
  public enum Permission {
    ALLOWED,
    DISABLED,
    /** Needs a person's confirmation first. */
    CONFIRM
  }

  public SyncOptions {
    options = List.copyOf(options);
    Map<String, String> seen = new LinkedHashMap<>();
    for (String option : options) {
      Objects.requireNonNull(option, "option");
      int eq = option.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "sync option must be Key=Value, but was \"" + option + "\"");
      }
      String key = option.substring(0, eq).trim();
      String value = option.substring(eq + 1).trim();
      validate(key, value);
      seen.put(key, value);
    }
  }

  private static void validate(String key, String value) {
    Set<String> allowed;
    if (BOOLEAN_KEYS.contains(key)) {
      allowed = Set.of("true", "false");
    } else if (key.equals("Prune") || key.equals("Delete")) {
      allowed = Set.of("true", "false", "confirm");
    } else if (key.equals("PrunePropagationPolicy")) {
      allowed = Set.of("foreground", "background", "orphan");
    } else {
      throw new IllegalArgumentException("unknown sync option \"" + key + "=" + value + "\"");
    }
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(
          "sync option "
              + key
              + " must be one of "
              + new java.util.TreeSet<>(allowed)
              + ", but was \""
              + value
              + "\"");
    }
  }

  /**
   * Parses a comma-separated list, as in the {@code argocd.argoproj.io/sync-options} annotation.
   */
  public static SyncOptions parse(String commaSeparated) {
    List<String> list = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        list.add(part.trim());
      }
    }
    return new SyncOptions(list);
  }

  public static SyncOptions of(String... options) {
    return new SyncOptions(List.of(options));
  }

  /** The options as a map; a later option overrides an earlier one with the same key. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      map.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
    }
    return Collections.unmodifiableMap(map);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(asMap().get(key));
  }

  /** A boolean option, or {@code dflt} when not set. */
  public boolean flag(String key, boolean dflt) {
    return get(key).map(Boolean::parseBoolean).orElse(dflt);
  }

  /** Options of {@code this}, overridden by those of {@code other}. */
  public SyncOptions overriddenBy(SyncOptions other) {
    List<String> merged = new ArrayList<>(options);
    merged.addAll(other.options);
    return new SyncOptions(merged);
  }

  public boolean createNamespace() {
    return flag("CreateNamespace", false);
  }

  public boolean serverSideApply() {
    return flag("ServerSideApply", false);
  }

  public boolean pruneLast() {
    return flag("PruneLast", false);
  }

  public boolean applyOutOfSyncOnly() {
    return flag("ApplyOutOfSyncOnly", false);
  }

  public boolean replace() {
    return flag("Replace", false);
  }

  public boolean force() {
    return flag("Force", false);
  }

  /** {@code Validate}, default true. */
  public boolean validate() {
    return flag("Validate", true);
  }

  public boolean respectIgnoreDifferences() {
    return flag("RespectIgnoreDifferences", false);
  }

  public boolean failOnSharedResource() {
    return flag("FailOnSharedResource", false);
  }

  public boolean skipDryRunOnMissingResource() {
    return flag("SkipDryRunOnMissingResource", false);
  }

  public Permission prune() {
    return permission("Prune");
  }

  public Permission delete() {
    return permission("Delete");
  }

  private Permission permission(String key) {
    return switch (get(key).orElse("true")) {
      case "false" -> Permission.DISABLED;
      case "confirm" -> Permission.CONFIRM;
      default -> Permission.ALLOWED;
    };
  }

  /** {@code PrunePropagationPolicy}, default {@code foreground} (Argo CD's default). */
  public String prunePropagationPolicy() {
    return get("PrunePropagationPolicy").orElse("foreground").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return String.join(",", options);
  }
}
