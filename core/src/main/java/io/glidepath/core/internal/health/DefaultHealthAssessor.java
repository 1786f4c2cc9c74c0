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
import io.glidepath.core.internal.glob.Glob;
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
  private static final CheckOrigin DELETION =
      new CheckOrigin(CheckOrigin.Type.BUILT_IN, "pending-deletion");
  private static final CheckOrigin CONVENTIONS =
      new CheckOrigin(CheckOrigin.Type.GENERIC, ConventionCheck.NAME);
  private static volatile DefaultHealthAssessor defaults;

  /**
   * One check for a group/kind pattern (Argo CD's key form: {@code group/kind}, or {@code kind}),
   * and what it answers for a terminating object.
   */
  public record Entry(
      String pattern,
      boolean exact,
      Glob glob,
      CheckOrigin origin,
      HealthCheck check,
      int order,
      Terminating.Answer whileTerminating) {
    /** A check given to the builder or found on the class path: it runs for terminating objects. */
    public static Entry of(String pattern, CheckOrigin origin, HealthCheck check, int order) {
      return of(pattern, origin, check, order, Terminating.Answer.RUN_CHECK);
    }

    static Entry of(
        String pattern,
        CheckOrigin origin,
        HealthCheck check,
        int order,
        Terminating.Answer whileTerminating) {
      boolean exact = pattern.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
      return new Entry(pattern, exact, Glob.of(pattern), origin, check, order, whileTerminating);
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
    BuiltinChecks.exact().forEach((k, c) -> out.add(builtin(k, c, out.size())));
    BuiltinChecks.wildcard().forEach((k, c) -> out.add(builtin(k, c, out.size())));
    return List.copyOf(out);
  }

  private static Entry builtin(String key, HealthCheck check, int order) {
    return Entry.of(
        key,
        new CheckOrigin(CheckOrigin.Type.BUILT_IN, key),
        check,
        order,
        BuiltinChecks.goChecks().contains(key)
            ? Terminating.Answer.PENDING_DELETION
            : Terminating.Answer.BLOCKED_BY_FINALIZERS);
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
    Optional<Entry> entry = resolve(key(live.group(), live.kind())).entry();
    if (Terminating.is(live)) {
      if (entry.isEmpty()) {
        return HealthAssessment.of(Terminating.pendingDeletion(), DELETION);
      }
      Entry e = entry.get();
      return switch (e.whileTerminating()) {
        case PENDING_DELETION -> HealthAssessment.of(Terminating.pendingDeletion(), DELETION);
        case BLOCKED_BY_FINALIZERS -> HealthAssessment.of(Terminating.blockedBy(live), e.origin());
        case RUN_CHECK -> {
          Health h;
          try {
            h = call(e, live);
          } catch (RuntimeException | StackOverflowError ex) {
            // a failing check stays visible (Unknown), as for any other object
            yield HealthAssessment.of(failure(ex), e.origin());
          }
          yield HealthAssessment.of(h == null ? noHealth(e) : Terminating.fromCheck(h), e.origin());
        }
      };
    }
    if (entry.isPresent()) {
      Entry e = entry.get();
      return HealthAssessment.of(run(e, live), e.origin());
    }
    if (conventions) {
      Optional<Health> h = ConventionCheck.assess(live);
      if (h.isPresent()) {
        return HealthAssessment.of(h.get(), CONVENTIONS);
      }
    }
    return HealthAssessment.none();
  }

  private static Health run(Entry e, Resource live) {
    try {
      Health h = call(e, live);
      return h != null ? h : noHealth(e);
    } catch (RuntimeException | StackOverflowError ex) {
      return failure(ex);
    }
  }

  private static Health call(Entry e, Resource live) {
    return e.check().check(live);
  }

  private static Health noHealth(Entry e) {
    return Health.of(HealthStatus.UNKNOWN, e.origin() + " returned no health");
  }

  private static Health failure(Throwable ex) {
    String m = ex.getMessage();
    return Health.of(
        HealthStatus.UNKNOWN, m == null || m.isBlank() ? ex.getClass().getSimpleName() : m);
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
