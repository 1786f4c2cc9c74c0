package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.glidepath.core.yaml.Yaml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class WireSerializationTest {
  private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
  private final WireSerialization wire = new WireSerialization();

  // an empty map, an explicit null and a number of each width: what a typed model would not keep
  private static final String CONFIG_MAP =
      """
      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop",\
      "resourceVersion":"41","uid":"6c0e","labels":{},"annotations":{"argocd.argoproj.io/tracking-id":\
      "shop:/ConfigMap:shop/settings"},"managedFields":[{"manager":"glidepath","operation":"Apply",\
      "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:level":{}}}}]},"data":{"level":"info"},\
      "binaryData":null,"extra":{"small":7,"large":9007199254740993,"ratio":0.25,"list":[1,"a",true]}}""";

  private WatchEvent event(String type, String object) {
    return wire.unmarshal(
        "{\"type\":\"" + type + "\",\"object\":" + object + "}", WatchEvent.class);
  }

  @Test
  void anEventsObjectKeepsTheTreeAsReceived() {
    WatchEvent e = event("MODIFIED", CONFIG_MAP);

    assertThat(e.getType()).isEqualTo("MODIFIED");
    assertThat(e.getObject()).isInstanceOf(WireResource.class);
    ObjectNode tree = ((WireResource) e.getObject()).tree();
    assertThat(tree).isEqualTo(Yaml.mapper().readTree(CONFIG_MAP));
    // what a typed ConfigMap would drop is still there
    assertThat(tree.path("metadata").has("labels")).isTrue();
    assertThat(tree.has("binaryData")).isTrue();
  }

  @Test
  void anEventsObjectAnswersAsFabric8sOwnGenericParse() {
    GenericKubernetesResource expected =
        FABRIC8.unmarshal(CONFIG_MAP, GenericKubernetesResource.class);
    GenericKubernetesResource got =
        (GenericKubernetesResource) event("ADDED", CONFIG_MAP).getObject();

    assertThat(got.getMetadata().getResourceVersion()).isEqualTo("41");
    assertThat(got.getMetadata().getAnnotations())
        .containsEntry("argocd.argoproj.io/tracking-id", "shop:/ConfigMap:shop/settings");
    assertThat(got.getMetadata().getManagedFields())
        .isEqualTo(expected.getMetadata().getManagedFields())
        .singleElement()
        .satisfies(m -> assertThat(m.getManager()).isEqualTo("glidepath"));
    assertThat(got.getAdditionalProperties()).isEqualTo(expected.getAdditionalProperties());
    assertThat(got).isEqualTo(expected);
    assertThat(expected).isEqualTo(got);
    assertThat(got.hashCode()).isEqualTo(expected.hashCode());
    assertThat(Yaml.mapper().readTree(FABRIC8.asJson(got)))
        .isEqualTo(Yaml.mapper().readTree(FABRIC8.asJson(expected)));
  }

  @Test
  void aTypedWatchConvertsItAsFabric8ConvertsAnyGenericObject() {
    Object object = event("ADDED", CONFIG_MAP).getObject();

    ConfigMap typed = wire.convertValue(object, ConfigMap.class);

    assertThat(typed).isEqualTo(FABRIC8.unmarshal(CONFIG_MAP, ConfigMap.class));
    assertThat(typed.getData()).containsEntry("level", "info");
  }

  @Test
  void changesMadeThroughFabric8sViewAreKept() {
    GenericKubernetesResource got =
        (GenericKubernetesResource) event("ADDED", CONFIG_MAP).getObject();

    got.setAdditionalProperty("note", "added");
    got.getMetadata().getLabels().put("team", "payments");

    assertThat(got.getAdditionalProperties()).containsEntry("note", "added").containsKey("data");
    assertThat(got.<String>get("data", "level")).isEqualTo("info");
    JsonNode written = Yaml.mapper().readTree(FABRIC8.asJson(got));
    assertThat(written.path("note").asString()).isEqualTo("added");
    assertThat(written.path("metadata").path("labels").path("team").asString())
        .isEqualTo("payments");
  }

  @Test
  void anApiVersionOrKindFabric8SetsReachesTheTree() {
    WireResource got = (WireResource) event("ADDED", "{\"metadata\":{\"name\":\"a\"}}").getObject();

    got.setApiVersion("v1");
    got.setKind("ConfigMap");

    assertThat(got.tree().path("apiVersion").asString()).isEqualTo("v1");
    assertThat(got.tree().path("kind").asString()).isEqualTo("ConfigMap");
  }

  @Test
  void anErrorEventIsFabric8sOwn() {
    WatchEvent e =
        event(
            "ERROR",
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":410,"
                + "\"reason\":\"Expired\",\"message\":\"too old resource version\"}");

    assertThat(e.getObject()).isInstanceOf(Status.class);
    assertThat(((Status) e.getObject()).getCode()).isEqualTo(410);
  }

  @Test
  void aGenericListsItemsKeepTheirTrees() {
    String list =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"77\","
            + "\"continue\":\"next\"},\"items\":["
            + CONFIG_MAP
            + ","
            + CONFIG_MAP.replace("settings", "other")
            + "]}";

    GenericKubernetesResourceList got =
        wire.unmarshal(
            new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)),
            new TypeReference<GenericKubernetesResourceList>() {});

    assertThat(got.getMetadata().getResourceVersion()).isEqualTo("77");
    assertThat(got.getMetadata().getContinue()).isEqualTo("next");
    assertThat(got.getItems()).hasSize(2).allMatch(i -> i instanceof WireResource);
    assertThat(got.getItems().get(1).getMetadata().getName()).isEqualTo("other");
    assertThat(got.getItems())
        .isEqualTo(
            FABRIC8
                .unmarshal(
                    new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)),
                    new TypeReference<GenericKubernetesResourceList>() {})
                .getItems());
  }

  @Test
  void aListOfAnotherShapeIsFabric8sOwn() {
    String noItems = "{\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"5\"}}";
    String unknownField = "{\"kind\":\"ConfigMapList\",\"items\":[],\"unexpected\":{\"a\":1}}";

    GenericKubernetesResourceList got = list(wire, noItems);

    assertThat(got).hasToString(list(FABRIC8, noItems).toString());
    assertThat(got.getMetadata().getResourceVersion()).isEqualTo("5");
    // whatever fabric8 answers, errors included
    Throwable fabric8s = catchThrowable(() -> list(FABRIC8, unknownField));
    Throwable wires = catchThrowable(() -> list(wire, unknownField));
    assertThat(wires).isNotNull().hasSameClassAs(fabric8s);
  }

  private static GenericKubernetesResourceList list(KubernetesSerialization s, String json) {
    return s.unmarshal(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        new TypeReference<GenericKubernetesResourceList>() {});
  }

  @Test
  void otherTypesAreFabric8sOwn() {
    Map<?, ?> parsed = wire.unmarshal("{\"a\":1}", Map.class);

    assertThat(parsed).isEqualTo(Map.of("a", 1));
  }
}
