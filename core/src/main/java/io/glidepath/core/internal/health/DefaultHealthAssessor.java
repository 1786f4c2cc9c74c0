package io.glidepath.core.internal.health;

import io.glidepath.core.health.ApplicationHealth;
import io.glidepath.core.health.CheckOrigin;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessment;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthCheck;
import io.glidepath.core.health.HealthCheckProvider;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.health.HealthScriptEngine;
import io.glidepath.core.health.HealthScriptException;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.internal.project.Glob;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link HealthAssessor} behind {@link HealthAssessor#builder()}: checks in layers (given,
 * discovered, built-in), resolved once per group/kind and cached. Immutable and thread-safe.
 */
public final class DefaultHealthAssessor implements HealthAssessor {
  private static final Health PENDING_DELETION =
      Health.of(HealthStatus.PROGRESSING, "Pending deletion");
  private static final CheckOrigin DELETION =
      new CheckOrigin(CheckOrigin.Type.BUILT_IN, "pending-deletion");
  private static final CheckOrigin CONVENTIONS =
      new CheckOrigin(CheckOrigin.Type.GENERIC, ConventionCheck.NAME);
  private static volatile DefaultHealthAssessor defaults;

  /**
   * One check for a group/kind pattern (Argo CD's key form: {@code group/kind}, or {@code kind}).
   */
  public record Entry(
      String pattern, boolean exact, Glob glob, CheckOrigin origin, HealthCheck check, int order) {
    public static Entry of(String pattern, CheckOrigin origin, HealthCheck check, int order) {
      boolean exact = pattern.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
      return new Entry(pattern, exact, Glob.of(pattern), origin, check, order);
    }

    boolean matches(String key) {
      return exact ? pattern.equals(key) : glob.matches(key);
    }
  }

  private record Resolved(Optional<Entry> entry) {}

  private final List<List<Entry>> layers;
  private final boolean conventions;
  private final Map<String, Resolved> cache = new ConcurrentHashMap<>();

  public DefaultHealthAssessor(List<Entry> given, boolean discover, boolean conventions) {
    List<List<Entry>> l = new ArrayList<>();
    l.add(List.copyOf(given));
    l.add(discover ? discovered() : List.of());
    l.add(builtins());
    this.layers = List.copyOf(l);
    this.conventions = conventions;
  }

  /** The shared assessor of {@link HealthAssessor#ofDefaults()}. */
  public static DefaultHealthAssessor defaults() {
    DefaultHealthAssessor d = defaults;
    if (d == null) {
      synchronized (DefaultHealthAssessor.class) {
        d = defaults;
        if (d == null) {
          d = new DefaultHealthAssessor(List.of(), true, true);
          defaults = d;
        }
      }
    }
    return d;
  }

  /**
   * Argo CD's key for a group and kind: {@code kind} for the core group, else {@code group/kind}.
   */
  public static String key(String group, String kind) {
    return group.isEmpty() ? kind : group + "/" + kind;
  }

  /** The script engine {@link ServiceLoader} finds. */
  public static HealthScriptEngine loadEngine(HealthScript first) {
    Iterator<HealthScriptEngine> engines = ServiceLoader.load(HealthScriptEngine.class).iterator();
    if (!engines.hasNext()) {
      throw new HealthScriptException(
          first.key(),
          first.origin(),
          "no health script engine on the class path: add the module"
              + " io.glidepath:glidepath-health-lua to run Lua health checks");
    }
    return engines.next();
  }

  private static List<Entry> discovered() {
    List<Entry> out = new ArrayList<>();
    for (HealthCheckProvider p : ServiceLoader.load(HealthCheckProvider.class)) {
      for (HealthCheckProvider.Registration r : p.checks()) {
        out.add(
            Entry.of(
                key(r.group(), r.kind()),
                new CheckOrigin(CheckOrigin.Type.JAVA, r.name()),
                r.check(),
                out.size()));
      }
    }
    return List.copyOf(out);
  }

  private static List<Entry> builtins() {
    List<Entry> out = new ArrayList<>();
    BuiltinChecks.exact()
        .forEach(
            (k, c) ->
                out.add(Entry.of(k, new CheckOrigin(CheckOrigin.Type.BUILT_IN, k), c, out.size())));
    BuiltinChecks.wildcard()
        .forEach(
            (k, c) ->
                out.add(Entry.of(k, new CheckOrigin(CheckOrigin.Type.BUILT_IN, k), c, out.size())));
    return List.copyOf(out);
  }

  private Resolved resolve(String key) {
    return cache.computeIfAbsent(key, this::resolveUncached);
  }

  private Resolved resolveUncached(String key) {
    for (List<Entry> layer : layers) {
      Optional<Entry> exact =
          layer.stream().filter(e -> e.exact() && e.pattern().equals(key)).findFirst();
      if (exact.isPresent()) {
        return new Resolved(exact);
      }
      Optional<Entry> wild =
          layer.stream()
              .filter(e -> !e.exact() && e.matches(key))
              .min(
                  Comparator.comparingInt((Entry e) -> -e.pattern().length())
                      .thenComparingInt(Entry::order));
      if (wild.isPresent()) {
        return new Resolved(wild);
      }
    }
    return new Resolved(Optional.empty());
  }

  @Override
  public HealthAssessment explain(Resource live) {
    if (live.body().path("metadata").path("deletionTimestamp").isString()
        && !Hooks.hasHookFinalizer(live)) {
      return HealthAssessment.of(PENDING_DELETION, DELETION);
    }
    Optional<Entry> entry = resolve(key(live.group(), live.kind())).entry();
    if (entry.isPresent()) {
      Entry e = entry.get();
      Health h;
      try {
        h = e.check().check(live);
        if (h == null) {
          h = Health.of(HealthStatus.UNKNOWN, e.origin() + " returned no health");
        }
      } catch (RuntimeException | StackOverflowError ex) {
        String m = ex.getMessage();
        h =
            Health.of(
                HealthStatus.UNKNOWN, m == null || m.isBlank() ? ex.getClass().getSimpleName() : m);
      }
      return HealthAssessment.of(h, e.origin());
    }
    if (conventions) {
      Optional<Health> h = ConventionCheck.assess(live);
      if (h.isPresent()) {
        return HealthAssessment.of(h.get(), CONVENTIONS);
      }
    }
    return HealthAssessment.none();
  }

  @Override
  public ApplicationHealth assess(ResourceSet desired, ResourceSet live) {
    Map<ResourceKey, Optional<Health>> out = new LinkedHashMap<>();
    for (Resource d : desired) {
      Optional<Resource> l = live.get(d.key());
      out.put(
          d.key(),
          l.isPresent() ? assess(l.get()) : Optional.of(Health.of(HealthStatus.MISSING, "")));
    }
    return ApplicationHealth.aggregate(out);
  }

  @Override
  public Optional<CheckOrigin> checkFor(String group, String kind) {
    return resolve(key(group, kind)).entry().map(Entry::origin);
  }
}
