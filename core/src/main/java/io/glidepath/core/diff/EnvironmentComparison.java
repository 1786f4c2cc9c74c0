package io.glidepath.core.diff;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What differs between two rendered environments of one application: resources only one has, and
 * per resource and field path the value in each. Made by {@link EnvironmentDiff}.
 *
 * <p>Immutable; {@code toString()} is {@link #toTable()}. Secret values are masked.
 *
 * @param nameA the first environment's name ({@code staging})
 * @param nameB the second environment's name ({@code production})
 * @param onlyInA resources only the first environment renders
 * @param onlyInB resources only the second environment renders
 * @param differences the differing fields of resources both render
 */
public record EnvironmentComparison(
    String nameA,
    String nameB,
    List<ResourceKey> onlyInA,
    List<ResourceKey> onlyInB,
    List<FieldDifference> differences) {
  public EnvironmentComparison {
    Objects.requireNonNull(nameA, "nameA");
    Objects.requireNonNull(nameB, "nameB");
    onlyInA = List.copyOf(onlyInA);
    onlyInB = List.copyOf(onlyInB);
    differences = List.copyOf(differences);
  }

  /** Whether both environments render the same resources with the same fields. */
  public boolean isIdentical() {
    return onlyInA.isEmpty() && onlyInB.isEmpty() && differences.isEmpty();
  }

  /** The differences as an aligned table: RESOURCE, FIELD, value in A, value in B. */
  public String toTable() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RESOURCE", "FIELD", nameA, nameB});
    for (ResourceKey k : onlyInA) {
      rows.add(new String[] {display(k), "(resource)", "present", "<absent>"});
    }
    for (ResourceKey k : onlyInB) {
      rows.add(new String[] {display(k), "(resource)", "<absent>", "present"});
    }
    for (FieldDifference d : differences) {
      rows.add(new String[] {display(d.resource()), d.path(), text(d.a()), text(d.b())});
    }
    int[] width = new int[4];
    for (String[] row : rows) {
      for (int i = 0; i < 4; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        line.append(row[i]);
        if (i < 3) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    if (isIdentical()) {
      sb.append("(no differences)\n");
    }
    return sb.toString();
  }

  private static String display(ResourceKey k) {
    return k.groupKind() + "/" + k.name();
  }

  private static String text(Optional<JsonNode> v) {
    if (v.isEmpty()) {
      return "<absent>";
    }
    JsonNode n = v.get();
    return n.isString() ? n.stringValue() : Yaml.toJson(n);
  }

  @Override
  public String toString() {
    return toTable();
  }
}
