package io.glidepath.analysis.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads InfluxDB 2's annotated CSV (the Flux query response): tables separated by empty lines, each
 * with {@code #datatype}, {@code #group} and {@code #default} annotation rows, a header row and
 * records. Fields are RFC 4180 (quoted fields may hold commas, quotes and line breaks).
 */
public final class AnnotatedCsv {
  /** One record: its table's header, datatypes and its own fields. */
  public record Row(List<String> header, List<String> datatypes, List<String> fields) {
    /** The field of column {@code name}, or null if the table has no such column. */
    public String get(String name) {
      int i = header.indexOf(name);
      return i < 0 || i >= fields.size() ? null : fields.get(i);
    }

    /** The datatype of column {@code name} ({@code double}, {@code long}, ...), or "string". */
    public String type(String name) {
      int i = header.indexOf(name);
      return i < 0 || i >= datatypes.size() ? "string" : datatypes.get(i);
    }
  }

  private AnnotatedCsv() {}

  /** Every record of every table, in order. */
  public static List<Row> read(String csv) {
    List<Row> rows = new ArrayList<>();
    List<String> header = null;
    List<String> datatypes = List.of();
    for (List<String> line : lines(csv)) {
      if (line.size() == 1 && line.get(0).isEmpty()) {
        header = null; // a new table follows
        datatypes = List.of();
        continue;
      }
      String first = line.get(0);
      if (first.startsWith("#")) {
        if (first.equals("#datatype")) {
          datatypes = line;
          header = null;
        }
        continue;
      }
      if (header == null) {
        header = line;
        continue;
      }
      rows.add(new Row(header, datatypes, line));
    }
    return rows;
  }

  private static List<List<String>> lines(String csv) {
    List<List<String>> out = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    int n = csv.length();
    while (i < n) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && csv.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          field.append(c);
        }
        i++;
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\r') {
        // part of \r\n
      } else if (c == '\n') {
        fields.add(field.toString());
        field.setLength(0);
        out.add(fields);
        fields = new ArrayList<>();
      } else {
        field.append(c);
      }
      i++;
    }
    if (field.length() > 0 || !fields.isEmpty()) {
      fields.add(field.toString());
      out.add(fields);
    }
    return out;
  }
}
