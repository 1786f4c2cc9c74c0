package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Weights on the named HTTP routes of one or more Istio VirtualServices; header and mirror routes.
 *
 * <p>Several VirtualServices change together or not at all, as far as a user can tell: every change
 * is first tried on a copy of each VirtualService (a missing VirtualService, route or destination
 * fails before anything is written); then each is written and read back in order, and when one
 * fails, the {@code spec.http} of those already written is put back as it was (each restore read
 * back too). The error names the VirtualService that failed and says what was rolled back, or which
 * restore failed.
 */
public final class IstioRouter implements TrafficRouter, WritesThroughKube {
  private static final String API = "networking.istio.io/v1beta1";
  private static final String KIND = "VirtualService";
  private static final String HASH_LABEL = "rollouts-pod-template-hash";

  private final KubernetesClient client;
  private final TrafficRouting.Istio routing;

  public IstioRouter(KubernetesClient client, TrafficRouting.Istio routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "istio";
  }

  private static String object(RouteTarget t, TrafficRouting.Istio.VirtualService vs) {
    return "VirtualService " + t.namespace() + "/" + vs.name();
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    setWeight(t, weight, List.of());
  }

  /** Host-level routing takes experiment Services (Argo Rollouts' additional destinations). */
  @Override
  public boolean supportsAdditionalDestinations() {
    return routing.destinationRule().isEmpty();
  }

  /**
   * The canary and stable destinations of every named route weighted; each experiment Service a
   * destination {@code {host, weight}} after them, and destinations of neither kind (those of an
   * experiment that ended) removed.
   */
  @Override
  public void setWeight(
      RouteTarget t, int weight, List<io.glidepath.rollout.traffic.WeightDestination> additional) {
    if (!additional.isEmpty() && routing.destinationRule().isPresent()) {
      throw new TrafficRoutingException(
          type(),
          t.rollout(),
          "traffic weights for experiment Services need host-level routing (no destinationRule)");
    }
    int stableWeight = RouterSupport.stableWeight(t.totalWeight(), weight, additional);
    acrossAll(
        t,
        (vs, object) -> {
          for (ObjectNode route : routes(object, t, vs)) {
            boolean canary = false;
            boolean stable = false;
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            for (JsonNode d : route.path("route")) {
              if (isCanary(d, t)) {
                ((ObjectNode) d).put("weight", weight);
                canary = true;
                kept.add(d);
              } else if (isStable(d, t)) {
                ((ObjectNode) d).put("weight", stableWeight);
                stable = true;
                kept.add(d);
              } else if (routing.destinationRule().isPresent()) {
                kept.add(d);
              }
            }
            if (!canary || !stable) {
              throw new TrafficRoutingException(
                  type(),
                  object(t, vs),
                  "route '"
                      + route.path("name").asString("")
                      + "' must have destinations "
                      + routing
                          .destinationRule()
                          .map(
                              r ->
                                  "with subsets "
                                      + r.canarySubsetName()
                                      + " and "
                                      + r.stableSubsetName())
                          .orElse(t.canaryService() + " and " + t.stableService()));
            }
            for (io.glidepath.rollout.traffic.WeightDestination d : additional) {
              ObjectNode extra = kept.addObject();
              extra.putObject("destination").put("host", d.serviceName());
              extra.put("weight", d.weight());
            }
            route.set("route", kept);
          }
          return object;
        },
        (vs, object) ->
            routes(object, t, vs).stream()
                .allMatch(r -> weightsAre(r, t, weight, stableWeight, additional)));
  }

  /**
   * Applies {@code change} to every VirtualService: tried on copies first, then written and read
   * back one by one, the written ones restored when a later one fails.
   */
  private void acrossAll(
      RouteTarget t,
      BiFunction<TrafficRouting.Istio.VirtualService, ObjectNode, ObjectNode> change,
      BiPredicate<TrafficRouting.Istio.VirtualService, ObjectNode> verify) {
    for (TrafficRouting.Istio.VirtualService vs : routing.virtualServices()) {
      ObjectNode current =
          Kube.get(client, API, KIND, t.namespace(), vs.name())
              .orElseThrow(
                  () ->
                      new TrafficRoutingException(
                          type(), object(t, vs), "does not exist; no VirtualService was changed"));
      try {
        change.apply(vs, current.deepCopy());
      } catch (TrafficRoutingException e) {
        throw new TrafficRoutingException(
            type(), e.object(), reason(e) + "; no VirtualService was changed");
      }
    }
    List<TrafficRouting.Istio.VirtualService> written = new ArrayList<>();
    List<ObjectNode> before = new ArrayList<>();
    for (TrafficRouting.Istio.VirtualService vs : routing.virtualServices()) {
      try {
        before.add(modify(t, vs, o -> change.apply(vs, o), o -> verify.test(vs, o)));
        written.add(vs);
      } catch (RuntimeException e) {
        String reason = e instanceof TrafficRoutingException r ? reason(r) : e.toString();
        throw new TrafficRoutingException(
            type(), object(t, vs), reason + "; " + rollBack(t, written, before));
      }
    }
  }

  private ObjectNode modify(
      RouteTarget t,
      TrafficRouting.Istio.VirtualService vs,
      Function<ObjectNode, ObjectNode> change,
      Predicate<ObjectNode> verify) {
    return RouterSupport.modify(
        client, type(), API, KIND, t.namespace(), vs.name(), change, verify);
  }

  private static final List<String> ROUTE_KINDS = List.of("http", "tls", "tcp");

  /** Puts back the HTTP, TLS and TCP routes of the VirtualServices written; says what it did. */
  private String rollBack(
      RouteTarget t, List<TrafficRouting.Istio.VirtualService> written, List<ObjectNode> before) {
    if (written.isEmpty()) {
      return "no other VirtualService was changed";
    }
    List<String> restored = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int i = written.size() - 1; i >= 0; i--) {
      TrafficRouting.Istio.VirtualService vs = written.get(i);
      JsonNode spec = before.get(i).path("spec");
      try {
        modify(
            t,
            vs,
            o -> {
              for (String kind : ROUTE_KINDS) {
                if (spec.has(kind)) {
                  ((ObjectNode) o.path("spec")).set(kind, spec.get(kind).deepCopy());
                }
              }
              return o;
            },
            o -> ROUTE_KINDS.stream().allMatch(k -> o.path("spec").path(k).equals(spec.path(k))));
        restored.add(vs.name());
      } catch (RuntimeException e) {
        failed.add(vs.name() + " (" + e.getMessage() + ")");
      }
    }
    return (restored.isEmpty() ? "" : "rolled back " + String.join(", ", restored))
        + (failed.isEmpty()
            ? ""
            : (restored.isEmpty() ? "" : "; ")
                + "could NOT roll back "
                + String.join(", ", failed)
                + ", which keep the new routes");
  }

  /** The message of {@code e} without its "router object: " prefix. */
  private static String reason(TrafficRoutingException e) {
    String prefix = e.router() + " " + e.object() + ": ";
    String m = e.getMessage();
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  private boolean weightsAre(
      ObjectNode route,
      RouteTarget t,
      int weight,
      int stableWeight,
      List<io.glidepath.rollout.traffic.WeightDestination> additional) {
    List<String> extra = new ArrayList<>();
    for (JsonNode d : route.path("route")) {
      if (isCanary(d, t)) {
        if (d.path("weight").asInt(-1) != weight) {
          return false;
        }
      } else if (isStable(d, t)) {
        if (d.path("weight").asInt(-1) != stableWeight) {
          return false;
        }
      } else if (routing.destinationRule().isEmpty()) {
        extra.add(
            d.path("destination").path("host").asString("") + "=" + d.path("weight").asInt(-1));
      }
    }
    return extra.equals(additional.stream().map(a -> a.serviceName() + "=" + a.weight()).toList());
  }

  private boolean isCanary(JsonNode d, RouteTarget t) {
    return isTo(d, TrafficRouting.Istio.DestinationRule::canarySubsetName, t.canaryService());
  }

  private boolean isStable(JsonNode d, RouteTarget t) {
    return isTo(d, TrafficRouting.Istio.DestinationRule::stableSubsetName, t.stableService());
  }

  /** Whether route destination {@code d} is a subset's (with a DestinationRule), else a host's. */
  private boolean isTo(
      JsonNode d, Function<TrafficRouting.Istio.DestinationRule, String> subset, String service) {
    JsonNode destination = d.path("destination");
    return routing
        .destinationRule()
        .map(r -> destination.path("subset").asString("").equals(subset.apply(r)))
        .orElseGet(() -> RouterSupport.sameService(destination.path("host").asString(""), service));
  }

  /** Subset-level routing: the DestinationRule's subsets select the canary and stable revisions. */
  @Override
  public void pinRevisions(RouteTarget t, String canaryHash, String stableHash) {
    if (routing.destinationRule().isEmpty()) {
      return;
    }
    TrafficRouting.Istio.DestinationRule rule = routing.destinationRule().get();
    java.util.Map<String, String> want =
        java.util.Map.of(rule.canarySubsetName(), canaryHash, rule.stableSubsetName(), stableHash);
    String object = "DestinationRule " + t.namespace() + "/" + rule.name();
    RouterSupport.modify(
        client,
        type(),
        API,
        "DestinationRule",
        t.namespace(),
        rule.name(),
        dr -> {
          for (java.util.Map.Entry<String, String> e : want.entrySet()) {
            ObjectNode subset = subset(dr, e.getKey());
            if (subset == null) {
              throw new TrafficRoutingException(
                  type(), object, "has no subset named '" + e.getKey() + "'");
            }
            ObjectNode labels =
                subset.get("labels") instanceof ObjectNode l ? l : subset.putObject("labels");
            labels.put(HASH_LABEL, e.getValue());
          }
          return dr;
        },
        dr ->
            want.entrySet().stream()
                .allMatch(
                    e -> {
                      ObjectNode subset = subset(dr, e.getKey());
                      return subset != null
                          && e.getValue()
                              .equals(subset.path("labels").path(HASH_LABEL).asString(""));
                    }));
  }

  private static ObjectNode subset(ObjectNode dr, String name) {
    for (JsonNode s : dr.path("spec").path("subsets")) {
      if (name.equals(s.path("name").asString(""))) {
        return (ObjectNode) s;
      }
    }
    return null;
  }

  /**
   * The routes to weight: the HTTP routes named in the plan (or the single HTTP route when none is
   * named and no TLS or TCP route is), and the TLS and TCP routes the plan names by port (and SNI
   * hosts), as Argo Rollouts finds them.
   */
  private List<ObjectNode> routes(
      ObjectNode object, RouteTarget t, TrafficRouting.Istio.VirtualService vs) {
    JsonNode http = object.path("spec").path("http");
    List<ObjectNode> out = new ArrayList<>();
    boolean httpByDefault = vs.tlsRoutes().isEmpty() && vs.tcpRoutes().isEmpty();
    if (vs.routes().isEmpty() && httpByDefault) {
      if (http.size() != 1) {
        throw new TrafficRoutingException(
            type(),
            object(t, vs),
            "no route named in the plan, so exactly one HTTP route is required, but it has "
                + http.size());
      }
      out.add((ObjectNode) http.get(0));
      return out;
    }
    for (String name : vs.routes()) {
      ObjectNode found = null;
      for (JsonNode r : http) {
        if (name.equals(r.path("name").asString(""))) {
          found = (ObjectNode) r;
        }
      }
      if (found == null) {
        throw new TrafficRoutingException(
            type(), object(t, vs), "has no HTTP route named '" + name + "'");
      }
      out.add(found);
    }
    for (TrafficRouting.Istio.TlsRoute tls : vs.tlsRoutes()) {
      int before = out.size();
      for (JsonNode r : object.path("spec").path("tls")) {
        for (JsonNode m : r.path("match")) {
          boolean port = tls.port() == 0 || m.path("port").asLong(-1) == tls.port();
          List<String> hosts = new ArrayList<>();
          m.path("sniHosts").forEach(h -> hosts.add(h.asString()));
          if (port && hosts.containsAll(tls.sniHosts())) {
            out.add((ObjectNode) r);
            break;
          }
        }
      }
      if (out.size() == before) {
        throw new TrafficRoutingException(
            type(),
            object(t, vs),
            "has no TLS route matching port " + tls.port() + " and SNI hosts " + tls.sniHosts());
      }
    }
    for (TrafficRouting.Istio.TcpRoute tcp : vs.tcpRoutes()) {
      int before = out.size();
      for (JsonNode r : object.path("spec").path("tcp")) {
        for (JsonNode m : r.path("match")) {
          if (tcp.port() == 0 || m.path("port").asLong(-1) == tcp.port()) {
            out.add((ObjectNode) r);
            break;
          }
        }
      }
      if (out.size() == before) {
        throw new TrafficRoutingException(
            type(), object(t, vs), "has no TCP route matching port " + tcp.port());
      }
    }
    return out;
  }

  @Override
  public void setHeaderRoute(RouteTarget t, CanaryStep.SetHeaderRoute route) {
    ObjectNode managed = null;
    if (!route.match().isEmpty()) {
      managed = JsonNodeFactory.instance.objectNode();
      managed.put("name", route.name());
      ArrayNode match = managed.putArray("match");
      for (CanaryStep.HeaderMatch m : route.match()) {
        match
            .addObject()
            .putObject("headers")
            .putObject(m.headerName())
            .put(m.matchType(), m.value());
      }
      managed
          .putArray("route")
          .addObject()
          .put("weight", 100)
          .putObject("destination")
          .put("host", t.canaryService());
    }
    putManagedRoute(t, route.name(), managed);
  }

  @Override
  public void setMirrorRoute(RouteTarget t, CanaryStep.SetMirrorRoute route) {
    ObjectNode managed = null;
    if (!route.match().isEmpty()) {
      managed = JsonNodeFactory.instance.objectNode();
      managed.put("name", route.name());
      managed.set("match", Yaml.mapper().valueToTree(route.match()));
      managed
          .putArray("route")
          .addObject()
          .put("weight", 100)
          .putObject("destination")
          .put("host", t.stableService());
      managed.putObject("mirror").put("host", t.canaryService());
      managed.putObject("mirrorPercentage").put("value", route.percentage());
    }
    putManagedRoute(t, route.name(), managed);
  }

  /**
   * Puts (or with null removes) a route named {@code name} in front of the HTTP routes of every
   * VirtualService.
   */
  private void putManagedRoute(RouteTarget t, String name, ObjectNode route) {
    acrossAll(
        t,
        (vs, object) -> {
          ObjectNode spec = (ObjectNode) object.path("spec");
          ArrayNode http = spec.has("http") ? (ArrayNode) spec.get("http") : spec.putArray("http");
          for (Iterator<JsonNode> it = http.iterator(); it.hasNext(); ) {
            if (name.equals(it.next().path("name").asString(""))) {
              it.remove();
            }
          }
          if (route != null) {
            http.insert(0, route.deepCopy());
          }
          return object;
        },
        (vs, object) -> {
          boolean present = false;
          for (JsonNode r : object.path("spec").path("http")) {
            present |= name.equals(r.path("name").asString(""));
          }
          return present == (route != null);
        });
  }
}
