package io.glidepath.kube.internal;

import io.glidepath.core.Origin;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.controller.DesiredState;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A {@link DesiredState} kept between reconciles in compact form: the rendered objects as one
 * packed JSON array (against the first render kept in the process: apps rendered from one template
 * differ in a few names), their origins, and the revisions. A source that reuses its last render
 * (no input changed) reads it back with {@link #state()}: the very {@link DesiredState} given or
 * last read back while anything still holds it, else a fresh one equal to it. A controller keeps
 * one of the state its last in-sync comparison read, and asks {@link #sameAs} whether the next
 * render is that one (by identity while the trees live, else by the packed bytes), so neither the
 * source nor the controller holds trees between reconciles: a thousand apps' renders take a few
 * hundred bytes each instead of the kilobytes of their trees.
 *
 * <p>Thread-safe; what it keeps never changes.
 */
public final class KeptRender {
  private static final PackedJson RENDERS = new PackedJson();
  // the states handed out (given to of, or read back) while they live, with what handed them out:
  // a holder that keeps the same state (keep) shares that one rather than packing it again
  private static final Map<DesiredState, KeptRender> HANDED_OUT =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final byte[] objects;
  private final Object origins; // one Origin shared by all, or an Origin[] in order
  private final DesiredState shape; // revision, source type and sources, with no resources
  private final boolean postDeleteHooks; // whether a resource is a PostDelete hook
  // the state last handed out, while someone else holds it: the same object for the same render
  private volatile WeakReference<DesiredState> handedOut;
  private final AtomicInteger readBacks = new AtomicInteger();

  private KeptRender(byte[] objects, Object origins, DesiredState shape, DesiredState given) {
    this.objects = objects;
    this.origins = origins;
    this.shape = shape;
    this.postDeleteHooks = PostDeleteHooks.any(given.resources());
    this.handedOut = new WeakReference<>(given);
  }

  /** {@code state} kept compact. */
  public static KeptRender of(DesiredState state) {
    Objects.requireNonNull(state, "state");
    KeptRender kept = new KeptRender(packed(state), origins(state), shape(state), state);
    HANDED_OUT.put(state, kept);
    return kept;
  }

  /**
   * {@code state} kept compact, sharing the {@code KeptRender} that handed it out (or an equal
   * state) while that state is still reachable: a controller keeping the state its source gave it
   * holds no second copy of the packed objects. Otherwise {@link #of}.
   */
  public static KeptRender keep(DesiredState state) {
    Objects.requireNonNull(state, "state");
    KeptRender known = HANDED_OUT.get(state);
    if (known != null && known.sameAs(state)) {
      return known;
    }
    return of(state);
  }

  /**
   * Whether {@code state} is the state kept: the very object last handed out (or given) while it is
   * still reachable, else one equal to it: the same revision, sources, origins and objects (their
   * packed JSON compared byte for byte, so neither side is inflated into trees). A state found
   * equal is handed out from then on, so the next question about it is answered by identity. Lets a
   * holder keep this rather than the state's trees and still know the render is the same.
   */
  public boolean sameAs(DesiredState state) {
    if (state == null) {
      return false;
    }
    if (handedOut.get() == state) {
      return true;
    }
    if (!shape.equals(shape(state)) || !Objects.deepEquals(origins, origins(state))) {
      return false;
    }
    if (!Arrays.equals(objects, packed(state))) {
      return false;
    }
    handedOut = new WeakReference<>(state);
    return true;
  }

  private static byte[] packed(DesiredState state) {
    ArrayNode array = Yaml.mapper().createArrayNode();
    for (Resource r : state.resources()) {
      array.add(r.body());
    }
    return RENDERS.pack(array);
  }

  private static DesiredState shape(DesiredState state) {
    return new DesiredState(
        state.revision(), ResourceSet.empty(), state.sourceType(), state.sources());
  }

  /** One Origin shared by all the objects, or an Origin[] in order. */
  private static Object origins(DesiredState state) {
    List<Origin> origins = new ArrayList<>();
    for (Resource r : state.resources()) {
      origins.add(r.origin());
    }
    if (!origins.isEmpty() && origins.stream().allMatch(o -> o.equals(origins.get(0)))) {
      return origins.get(0);
    }
    return origins.toArray(new Origin[0]);
  }

  /** The revision of the state kept. */
  public String revision() {
    return shape.revision();
  }

  /** The state kept without its resources: its revision, source type and sources. */
  public DesiredState shape() {
    return shape;
  }

  /** How many times the resources were read back from the packed form. */
  int readBacks() {
    return readBacks.get();
  }

  /** Whether a resource of the state kept is a PostDelete hook. */
  boolean postDeleteHooks() {
    return postDeleteHooks;
  }

  /**
   * The state kept: the object given to {@link #of} or last returned while it is still reachable
   * from elsewhere, otherwise one equal to it, its resources read back.
   */
  public DesiredState state() {
    DesiredState held = handedOut.get();
    if (held != null) {
      return held;
    }
    DesiredState read = readBack();
    handedOut = new WeakReference<>(read);
    HANDED_OUT.put(read, this);
    return read;
  }

  /** A fresh state equal to the one kept, read back from the packed form. */
  DesiredState readBack() {
    readBacks.incrementAndGet();
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
