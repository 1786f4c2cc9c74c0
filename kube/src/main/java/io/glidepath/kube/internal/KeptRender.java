package io.glidepath.kube.internal;

import io.glidepath.core.Origin;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.controller.DesiredState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A {@link DesiredState} kept between reconciles in compact form: the rendered objects as one
 * packed JSON array (against the first render kept in the process: apps rendered from one template
 * differ in a few names), their origins, and the revisions. A source that reuses its last render
 * (no input changed) reads it back with {@link #state()}, a fresh {@link DesiredState} equal to the
 * one kept. A thousand apps' renders take a few hundred bytes each instead of the kilobytes of
 * their trees.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeptRender {
  private static final PackedJson RENDERS = new PackedJson();

  private final byte[] objects;
  private final Object origins; // one Origin shared by all, or an Origin[] in order
  private final DesiredState shape; // revision, source type and sources, with no resources

  private KeptRender(byte[] objects, Object origins, DesiredState shape) {
    this.objects = objects;
    this.origins = origins;
    this.shape = shape;
  }

  /** {@code state} kept compact. */
  public static KeptRender of(DesiredState state) {
    Objects.requireNonNull(state, "state");
    ArrayNode array = Yaml.mapper().createArrayNode();
    List<Origin> origins = new ArrayList<>();
    for (Resource r : state.resources()) {
      array.add(r.body());
      origins.add(r.origin());
    }
    Object kept;
    if (!origins.isEmpty() && origins.stream().allMatch(o -> o.equals(origins.get(0)))) {
      kept = origins.get(0);
    } else {
      kept = origins.toArray(new Origin[0]);
    }
    return new KeptRender(
        RENDERS.pack(array),
        kept,
        new DesiredState(
            state.revision(), ResourceSet.empty(), state.sourceType(), state.sources()));
  }

  /** The revision of the state kept. */
  public String revision() {
    return shape.revision();
  }

  /** The state kept: equal to the one given to {@link #of}, its resources read back. */
  public DesiredState state() {
    JsonNode array = RENDERS.tree(objects);
    List<Resource> resources = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Origin origin = origins instanceof Origin one ? one : ((Origin[]) origins)[i];
      resources.add(Resource.of(array.get(i), origin));
    }
    return new DesiredState(
        shape.revision(), ResourceSet.of(resources), shape.sourceType(), shape.sources());
  }
}
