package io.glidepath.testkit.cluster;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A fault the {@link EmbeddedCluster} injects into matching requests.
 *
 * <p>Three effects: an error status answered instead of doing the request ({@link #status(int)}:
 * 500, 429 with {@code Retry-After}, 409, 503, ...), a timeout ({@link #timeout(Duration)}: the
 * request is not performed and a 504 is answered after the delay, so a client with a shorter
 * timeout sees its own timeout) and extra latency ({@link #latency(Duration)}: the request is
 * performed and its answer delayed).
 *
 * <p>{@code cluster.inject(Fault.status(500).on(Verb.APPLY).forKinds("Deployment").withRate(0.2))}
 *
 * <p>Immutable. Matching is random with the cluster's seeded random source, so a run is
 * reproducible for a given seed and request order.
 *
 * @param effect what happens
 * @param status the HTTP status of an {@link Effect#STATUS} fault; 504 for a timeout; 0 for latency
 * @param delay the delay of a timeout or latency; zero for a status fault
 * @param verbs the verbs it applies to; empty means every verb but discovery
 * @param kinds the kinds it applies to; empty means every kind
 * @param rate the probability, in [0, 1], that a matching request is hit
 * @param limit the most requests it hits; 0 means no limit
 * @param userAgents the clients it applies to, by {@code User-Agent}; empty means every client (a
 *     network partition of one replica: {@code Fault.timeout(d).fromUserAgents("replica-a")})
 */
public record Fault(
    Effect effect,
    int status,
    Duration delay,
    Set<Verb> verbs,
    Set<String> kinds,
    double rate,
    int limit,
    Set<String> userAgents) {

  /** What a fault does to a request. */
  public enum Effect {
    STATUS,
    TIMEOUT,
    LATENCY
  }

  public Fault {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(delay, "delay");
    verbs = verbs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(verbs));
    kinds = Set.copyOf(kinds);
    userAgents = Set.copyOf(userAgents);
    if (effect == Effect.STATUS && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("status must be in 400..599, but was " + status);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, but was " + delay);
    }
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException("rate must be in [0, 1], but was " + rate);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, but was " + limit);
    }
  }

  /** A fault for every client. */
  public Fault(
      Effect effect,
      int status,
      Duration delay,
      Set<Verb> verbs,
      Set<String> kinds,
      double rate,
      int limit) {
    this(effect, status, delay, verbs, kinds, rate, limit, Set.of());
  }

  /** Answers {@code status} instead of performing the request. */
  public static Fault status(int status) {
    return new Fault(Effect.STATUS, status, Duration.ZERO, Set.of(), Set.of(), 1.0, 0, Set.of());
  }

  /** Does not perform the request and answers 504 after {@code after}. */
  public static Fault timeout(Duration after) {
    return new Fault(Effect.TIMEOUT, 504, after, Set.of(), Set.of(), 1.0, 0, Set.of());
  }

  /** Performs the request and delays its answer by {@code delay}. */
  public static Fault latency(Duration delay) {
    return new Fault(Effect.LATENCY, 0, delay, Set.of(), Set.of(), 1.0, 0, Set.of());
  }

  /** A copy that applies only to {@code verbs}. */
  public Fault on(Verb... verbs) {
    return new Fault(effect, status, delay, Set.of(verbs), kinds, rate, limit, userAgents);
  }

  /** A copy that applies only to {@code kinds} (e.g. {@code "Deployment"}). */
  public Fault forKinds(String... kinds) {
    return new Fault(effect, status, delay, verbs, Set.of(kinds), rate, limit, userAgents);
  }

  /** A copy that hits a matching request with probability {@code rate}. */
  public Fault withRate(double rate) {
    return new Fault(effect, status, delay, verbs, kinds, rate, limit, userAgents);
  }

  /** A copy that hits at most {@code limit} requests. */
  public Fault times(int limit) {
    return new Fault(effect, status, delay, verbs, kinds, rate, limit, userAgents);
  }

  /** A copy that applies only to requests from clients with one of these {@code User-Agent}s. */
  public Fault fromUserAgents(String... userAgents) {
    return new Fault(effect, status, delay, verbs, kinds, rate, limit, Set.of(userAgents));
  }

  /** Whether the fault applies to a request with this verb, kind and client (before the dice). */
  public boolean matches(Verb verb, String kind, String userAgent) {
    return matches(verb, kind) && (userAgents.isEmpty() || userAgents.contains(userAgent));
  }

  /** Whether the fault applies to a request with this verb and kind (before the dice). */
  public boolean matches(Verb verb, String kind) {
    if (verb == Verb.DISCOVERY) {
      return false;
    }
    return (verbs.isEmpty() || verbs.contains(verb)) && (kinds.isEmpty() || kinds.contains(kind));
  }

  @Override
  public String toString() {
    String what =
        switch (effect) {
          case STATUS -> "status " + status;
          case TIMEOUT -> "timeout after " + delay;
          case LATENCY -> "latency " + delay;
        };
    return what
        + " on "
        + (verbs.isEmpty() ? "all verbs" : verbs.toString().toLowerCase(Locale.ROOT))
        + (kinds.isEmpty() ? "" : " of " + kinds)
        + (userAgents.isEmpty() ? "" : " from " + userAgents)
        + " at rate "
        + rate
        + (limit == 0 ? "" : " at most " + limit + " times");
  }
}
