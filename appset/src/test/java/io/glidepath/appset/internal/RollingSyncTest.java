package io.glidepath.appset.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class RollingSyncTest {
  private static final JsonNode TWO_STEPS =
      Yaml.readTree(
          "- matchExpressions: [{key: env, operator: In, values: [staging]}]\n"
              + "- matchExpressions: [{key: env, operator: In, values: [prod]}]\n",
          "steps");

  private final List<JsonNode> desired = new ArrayList<>();
  private final Map<String, JsonNode> live = new LinkedHashMap<>();
  private JsonNode status = Yaml.mapper().createArrayNode();
  private int tick;

  private void app(String name, String env) {
    desired.add(
        Yaml.readTree("metadata: {name: " + name + ", labels: {env: " + env + "}}\n", name));
    report(name, "OutOfSync", "Healthy", "Succeeded", "old");
  }

  /** What the app's ApplicationController reports. */
  private void report(String name, String sync, String health, String phase, String revision) {
    ObjectNode a = Yaml.mapper().createObjectNode();
    a.putObject("metadata").put("name", name);
    ObjectNode s = a.putObject("status");
    s.putObject("sync").put("status", sync).put("revision", revision);
    s.putObject("health").put("status", health);
    s.putObject("operationState").put("phase", phase);
    live.put(name, a);
  }

  private RollingSync.Outcome pass(JsonNode steps) {
    RollingSync.Outcome o = RollingSync.pass(steps, desired, live, Set.of(), status, "t" + tick++);
    status = o.applicationStatus();
    return o;
  }

  private String statusOf(String app) {
    for (JsonNode s : status) {
      if (s.path("application").asString().equals(app)) {
        return s.path("status").asString() + "@" + s.path("step").asString();
      }
    }
    return "none";
  }

  @Test
  void syncsTheFirstStepAndOpensTheNextOnlyWhenItIsHealthyAndSynced() {
    app("staging", "staging");
    app("prod-eu", "prod");
    app("prod-us", "prod");

    RollingSync.Outcome first = pass(TWO_STEPS);
    assertThat(first.sync()).containsExactly("staging");
    assertThat(statusOf("staging")).isEqualTo("Pending@1");
    assertThat(statusOf("prod-eu")).isEqualTo("Waiting@2");
    assertThat(first.condition().path("message").asString())
        .isEqualTo("ApplicationSet is performing rollout of step 1");

    // synced, pods still starting
    report("staging", "Synced", "Progressing", "Succeeded", "new");
    RollingSync.Outcome second = pass(TWO_STEPS);
    assertThat(second.sync()).isEmpty();
    assertThat(statusOf("staging")).isEqualTo("Progressing@1");
    assertThat(statusOf("prod-us")).isEqualTo("Waiting@2");

    report("staging", "Synced", "Healthy", "Succeeded", "new");
    RollingSync.Outcome third = pass(TWO_STEPS);
    assertThat(statusOf("staging")).isEqualTo("Healthy@1");
    assertThat(third.sync()).containsExactly("prod-eu", "prod-us");
    assertThat(third.condition().path("message").asString()).endsWith("rollout of step 2");

    report("prod-eu", "Synced", "Healthy", "Succeeded", "new");
    report("prod-us", "Synced", "Healthy", "Succeeded", "new");
    RollingSync.Outcome done = pass(TWO_STEPS);
    assertThat(done.sync()).isEmpty();
    assertThat(done.condition().path("status").asString()).isEqualTo("False");
    assertThat(done.condition().path("reason").asString())
        .isEqualTo("ApplicationSetRolloutComplete");
    assertThat(status.get(0).path("targetRevisions").get(0).asString()).isEqualTo("new");

    // nothing changed: the same statuses, transition times kept
    JsonNode before = status.deepCopy();
    pass(TWO_STEPS);
    assertThat(status).isEqualTo(before);
  }

  @Test
  void aDegradedStepStopsTheRolloutAndLeavesTheLaterStepsAlone() {
    app("staging", "staging");
    app("prod-eu", "prod");
    pass(TWO_STEPS);
    report("staging", "Synced", "Degraded", "Succeeded", "new");
    for (int i = 0; i < 3; i++) {
      RollingSync.Outcome o = pass(TWO_STEPS);
      assertThat(o.sync()).isEmpty();
      assertThat(o.condition().path("message").asString()).endsWith("rollout of step 1");
    }
    assertThat(statusOf("staging")).isEqualTo("Progressing@1");
    assertThat(statusOf("prod-eu")).isEqualTo("Waiting@2");
  }

  @Test
  void aFailedSyncIsRequestedAgainWhileTheAppIsPendingAndOutOfSync() {
    app("staging", "staging");
    assertThat(pass(TWO_STEPS).sync()).containsExactly("staging");
    report("staging", "OutOfSync", "Healthy", "Failed", "new");
    assertThat(pass(TWO_STEPS).sync()).containsExactly("staging");
    assertThat(statusOf("staging")).isEqualTo("Pending@1");
  }

  @Test
  void anAppWhoseOperationIsStillPendingIsNotAskedAgain() {
    app("staging", "staging");
    pass(TWO_STEPS);
    ((ObjectNode) live.get("staging")).putObject("operation").putObject("sync");
    assertThat(pass(TWO_STEPS).sync()).isEmpty();
    assertThat(statusOf("staging")).isEqualTo("Pending@1");
  }

  @Test
  void maxUpdateLimitsTheAppsOfAStepUpdatingAtOnce() {
    JsonNode steps =
        Yaml.readTree(
            "- matchExpressions: [{key: env, operator: In, values: [prod]}]\n" + "  maxUpdate: 1\n",
            "steps");
    app("a", "prod");
    app("b", "prod");
    app("c", "prod");
    assertThat(pass(steps).sync()).containsExactly("a");
    report("a", "Synced", "Healthy", "Succeeded", "new");
    assertThat(pass(steps).sync()).containsExactly("b");
  }

  @Test
  void maxUpdateAsPercentRoundsDownButIsAtLeastOneAndZeroUpdatesNone() {
    assertThat(RollingSync.maxUpdate(Yaml.readTree("'50%'", "m"), 3)).isEqualTo(1);
    assertThat(RollingSync.maxUpdate(Yaml.readTree("'10%'", "m"), 3)).isEqualTo(1);
    assertThat(RollingSync.maxUpdate(Yaml.readTree("'0%'", "m"), 3)).isEqualTo(0);
    assertThat(RollingSync.maxUpdate(Yaml.readTree("'100%'", "m"), 3)).isEqualTo(3);
    assertThat(RollingSync.maxUpdate(Yaml.readTree("0", "m"), 3)).isEqualTo(0);
    assertThat(RollingSync.maxUpdate(tools.jackson.databind.node.MissingNode.getInstance(), 3))
        .isNull();

    JsonNode none =
        Yaml.readTree(
            "- matchExpressions: [{key: env, operator: In, values: [prod]}]\n" + "  maxUpdate: 0\n",
            "steps");
    app("a", "prod");
    assertThat(pass(none).sync()).isEmpty();
    assertThat(statusOf("a")).isEqualTo("Waiting@1");
  }

  @Test
  void matchExpressionsSelectAsArgoCdAndAnAppNoStepSelectsIsNeverSynced() {
    JsonNode steps =
        Yaml.readTree(
            "- matchExpressions: [{key: region, operator: NotIn, values: [us]}, "
                + "{key: env, operator: In, values: [prod]}]\n"
                + "- matchExpressions: [{key: env, operator: In, values: [prod]}]\n",
            "steps");
    assertThat(RollingSync.selects(steps.get(0), Yaml.readTree("{env: prod}", "l"))).isTrue();
    assertThat(RollingSync.selects(steps.get(0), Yaml.readTree("{env: prod, region: us}", "l")))
        .isFalse();
    assertThat(RollingSync.selects(steps.get(0), Yaml.readTree("{region: eu}", "l"))).isFalse();
    app("dev", "dev");
    RollingSync.Outcome o = pass(steps);
    assertThat(o.sync()).isEmpty();
    assertThat(statusOf("dev")).startsWith("Waiting");
  }

  @Test
  void anAppWhoseSpecThisPassChangedIsOutOfDateWhateverItsOldStatusSays() {
    app("staging", "staging");
    report("staging", "Synced", "Healthy", "Succeeded", "old");
    pass(TWO_STEPS);
    assertThat(statusOf("staging")).isEqualTo("Healthy@1");
    RollingSync.Outcome o =
        RollingSync.pass(TWO_STEPS, desired, live, Set.of("staging"), status, "later");
    status = o.applicationStatus();
    assertThat(statusOf("staging")).isEqualTo("Pending@1");
    assertThat(o.sync()).containsExactly("staging");
  }
}
