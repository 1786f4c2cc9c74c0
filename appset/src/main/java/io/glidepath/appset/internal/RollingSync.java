package io.glidepath.appset.internal;

import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pass of Argo CD's RollingSync progressive sync, as a pure function: from the steps, the
 * generated Applications (their labels), the live Applications (their sync, health and operation)
 * and the previous {@code status.applicationStatus}, the new {@code applicationStatus}, the
 * Applications whose sync to trigger now, and the {@code RolloutProgressing} condition.
 *
 * <p>Argo CD's rules: each app belongs to the first step whose {@code matchExpressions} all match
 * its labels ({@code In}: the label is present with one of the values; {@code NotIn}: absent or
 * none of the values); an app no step selects is never synced by the rollout. An app's status moves
 * Waiting → Pending (its step is open and {@code maxUpdate} allows) → Progressing (its sync
 * succeeded or it became Progressing) → Healthy (Healthy, not OutOfSync, last operation Succeeded);
 * an OutOfSync app goes back to Waiting. A step is open when every app of every earlier step is
 * Healthy in both the app and the status; a degraded app never becomes Healthy, so the later steps
 * stay closed (on their old revision). {@code maxUpdate}: the number of apps of the step Pending or
 * Progressing at once (a percentage of the step rounded down, at least one unless {@code 0%};
 * {@code 0} updates none); unset, no limit.
 */
public final class RollingSync {
  private RollingSync() {}

  /**
   * What a pass decided.
   *
   * @param applicationStatus the new {@code status.applicationStatus}
   * @param sync the apps to sync now (Pending and out of date)
   * @param condition the {@code RolloutProgressing} condition, without its transition time
   * @param healthySteps the steps (0-based) whose apps are all Healthy and up to date, in order
   */
  public record Outcome(
      ArrayNode applicationStatus,
      Set<String> sync,
      ObjectNode condition,
      Set<Integer> healthySteps) {}

  /** A pass without analysis gates: every step opens once the earlier ones are Healthy. */
  public static Outcome pass(
      JsonNode steps,
      List<JsonNode> desired,
      Map<String, JsonNode> live,
      Set<String> changed,
      JsonNode previous,
      String now) {
    return pass(steps, desired, live, changed, previous, now, step -> true);
  }

  /** The step (0-based) of an app with these labels: the first that selects it; -1 for none. */
  public static int stepOf(JsonNode steps, JsonNode labels) {
    for (int i = 0; i < steps.size(); i++) {
      if (selects(steps.get(i), labels)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * @param steps {@code spec.strategy.rollingSync.steps}
   * @param desired the generated Applications, in order (name, labels)
   * @param live the Applications as they are now, by name
   * @param changed the apps whose spec this pass created or changed (their status is stale)
   * @param previous the previous {@code status.applicationStatus}
   * @param now the transition time to write
   * @param gateOpen whether the steps after a step (0-based) whose apps are all Healthy may start:
   *     Glidepath's analysis gate of that step passed (always true for a step without one)
   */
  public static Outcome pass(
      JsonNode steps,
      List<JsonNode> desired,
      Map<String, JsonNode> live,
      Set<String> changed,
      JsonNode previous,
      String now,
      java.util.function.IntPredicate gateOpen) {
    // the step (0-based) of each app, and each step's apps
    Map<String, Integer> stepOf = new LinkedHashMap<>();
    List<List<String>> members = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      members.add(new ArrayList<>());
    }
    for (JsonNode app : desired) {
      String name = app.path("metadata").path("name").asString();
      JsonNode labels = app.path("metadata").path("labels");
      for (int i = 0; i < steps.size(); i++) {
        if (selects(steps.get(i), labels)) {
          stepOf.put(name, i);
          members.get(i).add(name);
          break;
        }
      }
    }
    Map<String, JsonNode> before = new HashMap<>();
    for (JsonNode s : previous) {
      before.put(s.path("application").asString(""), s);
    }
    // statuses from what the apps report
    Map<String, ObjectNode> status = new LinkedHashMap<>();
    for (JsonNode app : desired) {
      String name = app.path("metadata").path("name").asString();
      JsonNode l = live.get(name);
      if (l == null) {
        continue; // not created (taken by another owner, or create-only policies)
      }
      String step = String.valueOf(stepOf.getOrDefault(name, 0) + 1);
      String health = l.path("status").path("health").path("status").asString("");
      boolean outdated = outdated(l, changed.contains(name));
      String phase = l.path("status").path("operationState").path("phase").asString("");
      boolean requested = l.has("operation");
      ArrayNode revisions = revisions(l);
      ObjectNode s;
      JsonNode old = before.get(name);
      if (old == null) {
        s =
            entry(
                name,
                "Waiting",
                "No Application status found, defaulting status to Waiting.",
                step,
                now);
        s.set("targetRevisions", revisions);
      } else {
        s = (ObjectNode) old.deepCopy();
        if (!revisions.equals(old.path("targetRevisions"))) {
          s.put("message", "Application has pending changes, setting status to Waiting.");
          s.set("targetRevisions", revisions);
        }
      }
      String st = s.path("status").asString("");
      if (outdated && !st.equals("Waiting") && !st.equals("Pending")) {
        set(s, "Waiting", "Application has pending changes, setting status to Waiting.", step, now);
      }
      st = s.path("status").asString("");
      if (st.equals("Pending") && !requested) {
        if (!outdated && phase.equals("Succeeded")) {
          set(
              s,
              "Progressing",
              "Application resource completed a sync successfully, updating status from Pending"
                  + " to Progressing.",
              step,
              now);
        } else if (phase.equals("Running") || health.equals("Progressing")) {
          set(
              s,
              "Progressing",
              "Application resource became Progressing, updating status from Pending to"
                  + " Progressing.",
              step,
              now);
        }
      }
      boolean healthy = !outdated && healthy(l);
      st = s.path("status").asString("");
      if (st.equals("Waiting") && healthy) {
        set(
            s,
            health,
            "Application resource is already Healthy, updating status from Waiting to Healthy.",
            step,
            now);
      } else if (st.equals("Progressing") && healthy) {
        set(
            s,
            health,
            "Application resource became Healthy, updating status from Progressing to Healthy.",
            step,
            now);
      }
      status.put(name, s);
    }
    // which steps are open: every app of every earlier step Healthy
    Set<String> open = new LinkedHashSet<>();
    Set<Integer> healthySteps = new java.util.TreeSet<>();
    boolean enabled = true;
    for (int i = 0; i < members.size(); i++) {
      List<String> step = members.get(i);
      if (enabled) {
        open.addAll(step);
      }
      boolean allHealthy = true;
      for (String name : step) {
        ObjectNode s = status.get(name);
        if (s == null
            || !s.path("status").asString("").equals("Healthy")
            || changed.contains(name)
            || !healthy(live.get(name))) {
          allHealthy = false;
          break;
        }
      }
      if (allHealthy) {
        healthySteps.add(i);
      }
      if (!allHealthy || (!step.isEmpty() && !gateOpen.test(i))) {
        enabled = false;
      }
    }
    // Waiting -> Pending within maxUpdate
    int[] updating = new int[steps.size()];
    int[] total = new int[steps.size()];
    for (Map.Entry<String, ObjectNode> e : status.entrySet()) {
      Integer i = stepOf.get(e.getKey());
      if (i == null) {
        continue;
      }
      total[i]++;
      String st = e.getValue().path("status").asString("");
      if (st.equals("Pending") || st.equals("Progressing")) {
        updating[i]++;
      }
    }
    for (Map.Entry<String, ObjectNode> e : status.entrySet()) {
      Integer i = stepOf.get(e.getKey());
      ObjectNode s = e.getValue();
      if (i == null
          || !open.contains(e.getKey())
          || !s.path("status").asString("").equals("Waiting")) {
        continue;
      }
      Integer max = maxUpdate(steps.get(i).path("maxUpdate"), total[i]);
      if (max != null && updating[i] >= max) {
        continue;
      }
      set(
          s,
          "Pending",
          "Application moved to Pending status, watching for the Application resource to start"
              + " Progressing.",
          String.valueOf(i + 1),
          now);
      updating[i]++;
    }
    Set<String> sync = new LinkedHashSet<>();
    ArrayNode out = Yaml.mapper().createArrayNode();
    for (Map.Entry<String, ObjectNode> e : status.entrySet()) {
      out.add(e.getValue());
      JsonNode l = live.get(e.getKey());
      if (e.getValue().path("status").asString("").equals("Pending")
          && open.contains(e.getKey())
          && !l.has("operation")
          && outdated(l, changed.contains(e.getKey()))) {
        sync.add(e.getKey());
      }
    }
    return new Outcome(out, sync, condition(steps.size(), status.values()), healthySteps);
  }

  /** Whether the app's status is about an older spec than its own, or says OutOfSync. */
  private static boolean outdated(JsonNode app, boolean changed) {
    if (changed) {
      return true;
    }
    JsonNode sync = app.path("status").path("sync");
    String st = sync.path("status").asString("");
    if (st.isEmpty() || st.equals("OutOfSync")) {
      return true;
    }
    JsonNode compared = sync.path("comparedTo").path("source");
    return !compared.isMissingNode()
        && app.path("spec").has("source")
        && !same(compared, app.path("spec").path("source"));
  }

  private static boolean same(JsonNode compared, JsonNode source) {
    for (String f : List.of("repoURL", "path", "targetRevision", "chart")) {
      if (!compared.path(f).asString("").equals(source.path(f).asString(""))) {
        return false;
      }
    }
    return true;
  }

  /** Argo CD's isApplicationHealthy. */
  private static boolean healthy(JsonNode app) {
    if (app == null) {
      return false;
    }
    JsonNode st = app.path("status");
    String phase = st.path("operationState").path("phase").asString("");
    return st.path("health").path("status").asString("").equals("Healthy")
        && !st.path("sync").path("status").asString("").equals("OutOfSync")
        && (phase.isEmpty() || phase.equals("Succeeded"))
        && !app.has("operation");
  }

  private static ArrayNode revisions(JsonNode app) {
    ArrayNode out = Yaml.mapper().createArrayNode();
    JsonNode sync = app.path("status").path("sync");
    if (sync.path("revisions").isArray() && !sync.path("revisions").isEmpty()) {
      sync.path("revisions").forEach(r -> out.add(r.asString("")));
    } else if (!sync.path("revision").asString("").isEmpty()) {
      out.add(sync.path("revision").asString(""));
    }
    return out;
  }

  static boolean selects(JsonNode step, JsonNode labels) {
    for (JsonNode e : step.path("matchExpressions")) {
      String key = e.path("key").asString("");
      boolean in = e.path("operator").asString("").equals("In");
      if (!labels.has(key)) {
        if (in) {
          return false;
        }
        continue;
      }
      String value = labels.path(key).asString("");
      boolean listed = false;
      for (JsonNode v : e.path("values")) {
        listed |= v.asString("").equals(value);
      }
      if (listed != in) {
        return false;
      }
    }
    return true;
  }

  /** {@code maxUpdate} for a step of {@code total} apps; null when unset (no limit). */
  static Integer maxUpdate(JsonNode mu, int total) {
    if (mu.isMissingNode() || mu.isNull()) {
      return null;
    }
    if (mu.isIntegralNumber()) {
      return mu.asInt();
    }
    String text = mu.asString("");
    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
    int n = (int) ((long) percent * total / 100);
    return n < 1 && percent != 0 ? 1 : n;
  }

  private static ObjectNode entry(
      String app, String status, String message, String step, String now) {
    ObjectNode s = Yaml.mapper().createObjectNode();
    s.put("application", app);
    s.put("lastTransitionTime", now);
    s.put("message", message);
    s.put("status", status);
    s.put("step", step);
    return s;
  }

  private static void set(ObjectNode s, String status, String message, String step, String now) {
    s.put("lastTransitionTime", now);
    s.put("message", message);
    s.put("status", status);
    s.put("step", step);
  }

  /** Argo CD's RolloutProgressing condition: the first step not all Healthy, or complete. */
  private static ObjectNode condition(int steps, Iterable<ObjectNode> statuses) {
    Map<String, Boolean> complete = new HashMap<>();
    for (ObjectNode s : statuses) {
      boolean h = s.path("status").asString("").equals("Healthy");
      complete.merge(s.path("step").asString(""), h, Boolean::logicalAnd);
    }
    ObjectNode c = Yaml.mapper().createObjectNode();
    c.put("type", "RolloutProgressing");
    for (int i = 1; i <= steps; i++) {
      Boolean done = complete.get(String.valueOf(i));
      if (done != null && !done) {
        c.put("status", "True");
        c.put("reason", "ApplicationSetModified");
        c.put("message", "ApplicationSet is performing rollout of step " + i);
        return c;
      }
    }
    c.put("status", "False");
    c.put("reason", "ApplicationSetRolloutComplete");
    c.put("message", "ApplicationSet Rollout has completed");
    return c;
  }
}
