package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.Origin;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.SourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeptRenderTest {
  private static final String APP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: %1$s-settings}
      data: {LOG_LEVEL: info, NOTE: "grüße"}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: %1$s}
      spec:
        replicas: 2
        template:
          spec:
            containers:
            - {name: main, image: "registry.example/%1$s:1.0"}
      """;

  @Test
  void readsBackTheStateItKeptWithEveryOrigin() {
    List<Resource> resources = Yaml.readResources(APP.formatted("app-1"), "apps/app-1/all.yaml");
    DesiredState state =
        new DesiredState(
            "abc123,def456",
            ResourceSet.of(resources),
            Optional.of(SourceType.HELM),
            List.of(
                new DesiredState.SourceRevision("abc123", Optional.of(SourceType.HELM)),
                new DesiredState.SourceRevision("def456", Optional.empty())));
    KeptRender kept = KeptRender.of(state);
    DesiredState back = kept.readBack();
    assertThat(back).isEqualTo(state);
    assertThat(kept.revision()).isEqualTo("abc123,def456");
    List<Origin> origins = new ArrayList<>();
    back.resources().forEach(r -> origins.add(r.origin()));
    List<Origin> expected = new ArrayList<>();
    state.resources().forEach(r -> expected.add(r.origin()));
    assertThat(origins).isEqualTo(expected);
    assertThat(expected.get(0)).isNotEqualTo(expected.get(1)); // per document: kept one by one
    // a state read back is the caller's: editing it leaves the kept one alone
    ((tools.jackson.databind.node.ObjectNode) back.resources().iterator().next().body())
        .put("kind", "Secret");
    assertThat(kept.readBack()).isEqualTo(state);
  }

  @Test
  void handsOutTheSameStateWhileItIsHeldSoThatAComparisonOfItCanBeReused() {
    DesiredState state =
        new DesiredState("r1", ResourceSet.of(Yaml.readResources(APP.formatted("a"), "a.yaml")));
    KeptRender kept = KeptRender.of(state);
    assertThat(kept.state()).isSameAs(state);
    assertThat(kept.state()).isSameAs(state);
    DesiredState back = kept.readBack();
    assertThat(back).isNotSameAs(state).isEqualTo(state);
  }

  @Test
  void knowsAnEqualStateFromItsPackedFormAndADifferentOneFromAnyChange() {
    DesiredState state =
        new DesiredState("r1", ResourceSet.of(Yaml.readResources(APP.formatted("a"), "a.yaml")));
    KeptRender kept = KeptRender.of(state);
    assertThat(kept.sameAs(state)).isTrue();
    DesiredState equal =
        new DesiredState("r1", ResourceSet.of(Yaml.readResources(APP.formatted("a"), "a.yaml")));
    assertThat(equal).isNotSameAs(state);
    assertThat(kept.sameAs(equal)).isTrue();
    assertThat(kept.state()).as("the equal state is handed out from then on").isSameAs(equal);
    assertThat(kept.sameAs(kept.readBack())).isTrue();

    // another object, another revision, another origin, another source type: not the same
    assertThat(
            kept.sameAs(
                new DesiredState(
                    "r1", ResourceSet.of(Yaml.readResources(APP.formatted("b"), "a.yaml")))))
        .isFalse();
    assertThat(
            kept.sameAs(
                new DesiredState(
                    "r2", ResourceSet.of(Yaml.readResources(APP.formatted("a"), "a.yaml")))))
        .isFalse();
    assertThat(
            kept.sameAs(
                new DesiredState(
                    "r1", ResourceSet.of(Yaml.readResources(APP.formatted("a"), "other.yaml")))))
        .isFalse();
    assertThat(
            kept.sameAs(
                new DesiredState(
                    "r1",
                    ResourceSet.of(Yaml.readResources(APP.formatted("a"), "a.yaml")),
                    Optional.of(SourceType.HELM),
                    List.of())))
        .isFalse();
    assertThat(kept.sameAs(new DesiredState("r1", ResourceSet.empty()))).isFalse();
    assertThat(kept.sameAs(null)).isFalse();
  }

  @Test
  void aHolderKeepingAStateSharesTheKeptRenderThatHandedItOut() {
    DesiredState state =
        new DesiredState("r1", ResourceSet.of(Yaml.readResources(APP.formatted("s"), "s.yaml")));
    KeptRender kept = KeptRender.of(state);
    assertThat(KeptRender.keep(state)).isSameAs(kept);
    DesiredState back = kept.readBack();
    assertThat(KeptRender.keep(back)).as("equal to one handed out").isSameAs(kept);
    DesiredState other =
        new DesiredState("r1", ResourceSet.of(Yaml.readResources(APP.formatted("t"), "s.yaml")));
    KeptRender own = KeptRender.keep(other);
    assertThat(own).isNotSameAs(kept);
    assertThat(own.sameAs(other)).isTrue();
    assertThat(own.sameAs(state)).isFalse();
  }

  @Test
  void keepsAnEmptyRenderAndOneOrigin() {
    DesiredState empty = new DesiredState("r1", ResourceSet.empty());
    assertThat(KeptRender.of(empty).readBack()).isEqualTo(empty);
    Resource one =
        Resource.of(
            Yaml.mapper()
                .readTree(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n\"}}"),
            Origin.of("in-code"));
    DesiredState single = new DesiredState("r2", ResourceSet.of(one));
    DesiredState back = KeptRender.of(single).readBack();
    assertThat(back).isEqualTo(single);
    assertThat(back.resources().iterator().next().origin()).isEqualTo(Origin.of("in-code"));
  }
}
