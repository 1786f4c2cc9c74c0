package io.glidepath.rollout.internal.load;

import io.glidepath.core.Origin;
import io.glidepath.rollout.load.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The refusals of one document as it is read, each placed at its field's line. */
public final class Refusals {
  private final Origin document;
  private final Map<String, Origin> positions;
  private final List<Refusal> list = new ArrayList<>();

  public Refusals(Origin document, Map<String, Origin> positions) {
    this.document = document;
    this.positions = positions;
  }

  public Origin document() {
    return document;
  }

  /** Refuses the field at {@code path} with {@code reason}. */
  public void add(String path, String reason) {
    Refusal r = new Refusal(at(path), path, reason);
    if (!list.contains(r)) {
      list.add(r);
    }
  }

  /** Where the field at {@code path} (or its nearest enclosing field) starts. */
  public Origin at(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Origin found = positions.get(p);
      if (found != null) {
        return found;
      }
      int cut = p.endsWith("]") ? p.lastIndexOf('[') : p.lastIndexOf('.');
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return document;
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<Refusal> list() {
    return List.copyOf(list);
  }
}
