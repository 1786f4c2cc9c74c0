package io.glidepath.rollout.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request-log checker of the scale-out tests finds writes outside the writer's claim. */
class ClaimLogTest {
  private static final Set<String> REPLICAS = Set.of("replica-a", "replica-b");
  private final List<RecordedCall> log = new ArrayList<>();
  private int second;

  private void call(Verb verb, String kind, String name, String replica, int status) {
    String body = name.isEmpty() ? "" : "{\"metadata\":{\"name\":\"" + name + "\"}}";
    log.add(
        new RecordedCall(
            Instant.EPOCH.plusSeconds(second++),
            verb,
            "POST",
            "/x",
            kind,
            "default",
            verb == Verb.CREATE ? "" : name,
            false,
            status,
            "",
            body,
            replica));
  }

  private void claim(Verb verb, String item, String replica) {
    call(verb, "Lease", "glidepath-item-" + item + "-0123456789", replica, 200);
  }

  private void write(String object, String replica) {
    call(Verb.APPLY, "ConfigMap", object, replica, 200);
  }

  @Test
  void writesInsideTheWritersClaimsPass() {
    claim(Verb.CREATE, "app-0001", "replica-a");
    write("app-0001", "replica-a");
    claim(Verb.UPDATE, "app-0001", "replica-b"); // taken over
    write("app-0001", "replica-b");
    claim(Verb.UPDATE, "app-0001", "replica-b"); // released
    claim(Verb.UPDATE, "app-0001", "replica-a"); // claimed again
    write("app-0001", "replica-a");
    call(Verb.APPLY, "ConfigMap", "app-0001", "replica-b", 504); // refused: not a write
    write("unrelated", "replica-b");
    ClaimLog claims = ClaimLog.read(log, REPLICAS);
    assertThat(claims.violations()).isEmpty();
    assertThat(claims.claims())
        .extracting(ClaimLog.Claim::replica)
        .containsExactly("replica-a", "replica-b", "replica-a");
    assertThat(claims.holders()).containsEntry("app-0001", "replica-a");
  }

  @Test
  void aWriteByTheOldOwnerAfterATakeoverIsAViolation() {
    claim(Verb.CREATE, "ro-0003", "replica-a");
    claim(Verb.UPDATE, "ro-0003", "replica-b");
    write("ro-0003-5d4f8c", "replica-a"); // a ReplicaSet of the rollout
    assertThat(ClaimLog.read(log, REPLICAS).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.item()).isEqualTo("ro-0003");
              assertThat(v.holder()).isEqualTo("replica-b");
            });
  }

  @Test
  void aWriteAfterReleasingOrWithoutAClaimIsAViolation() {
    write("app-0002", "replica-a");
    claim(Verb.CREATE, "app-0002", "replica-a");
    claim(Verb.UPDATE, "app-0002", "replica-a"); // released
    write("app-0002", "replica-a");
    assertThat(ClaimLog.read(log, REPLICAS).violations()).hasSize(2);
  }
}
