package io.glidepath.git.writeback;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path to one value in a YAML document.
 *
 * <p>Syntax: keys separated by dots, each optionally followed by list selectors: {@code image.tag},
 * {@code a.b[0].c} (list index), {@code images[name=trade-service].newTag} (the list item whose
 * {@code name} is {@code trade-service}, as in a kustomization). A backslash takes the next
 * character literally, for keys that contain dots or brackets: {@code
 * metadata.annotations.example\.com/owner}.
 *
 * @param segments the steps from the document root; at least one
 */
public record YamlPath(List<Segment> segments) {
  public YamlPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("segments must not be empty");
    }
  }

  /** One step of a path. */
  public sealed interface Segment permits Key, Index, Select {}

  /** A mapping key. @param name the key */
  public record Key(String name) implements Segment {
    public Key {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A list position, from 0. @param index the position */
  public record Index(int index) implements Segment {
    public Index {
      if (index < 0) {
        throw new IllegalArgumentException("index must be >= 0, but was " + index);
      }
    }

    @Override
    public String toString() {
      return "[" + index + "]";
    }
  }

  /**
   * The list item (a mapping) whose {@code key} holds the scalar {@code value}.
   *
   * @param key the item's key to match
   * @param value the value to match
   */
  public record Select(String key, String value) implements Segment {
    public Select {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "[" + key + "=" + value + "]";
    }
  }

  /** Parses the syntax described above. */
  public static YamlPath parse(String path) {
    Objects.requireNonNull(path, "path");
    List<Segment> out = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    boolean keyPending = false;
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '\\') {
        if (i + 1 >= path.length()) {
          throw bad(path, "ends with a backslash");
        }
        key.append(path.charAt(i + 1));
        keyPending = true;
        i += 2;
      } else if (c == '.') {
        if (keyPending) {
          out.add(new Key(key.toString()));
        } else if (out.isEmpty()
            || !(out.get(out.size() - 1) instanceof Index
                || out.get(out.size() - 1) instanceof Select)) {
          throw bad(path, "has an empty key at position " + i);
        }
        key.setLength(0);
        keyPending = false;
        i++;
        if (i >= path.length() || path.charAt(i) == '.' || path.charAt(i) == '[') {
          throw bad(path, "has an empty key at position " + i);
        }
      } else if (c == '[') {
        if (keyPending) {
          out.add(new Key(key.toString()));
          key.setLength(0);
          keyPending = false;
        }
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw bad(path, "has an unclosed '[' at position " + i);
        }
        out.add(selector(path, path.substring(i + 1, close)));
        i = close + 1;
        if (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
          throw bad(path, "needs '.' or '[' after ']' at position " + i);
        }
      } else {
        key.append(c);
        keyPending = true;
        i++;
      }
    }
    if (keyPending) {
      out.add(new Key(key.toString()));
    }
    if (out.isEmpty()) {
      throw bad(path, "is empty");
    }
    return new YamlPath(out);
  }

  private static Segment selector(String path, String inside) {
    if (inside.matches("[0-9]+")) {
      return new Index(Integer.parseInt(inside));
    }
    int eq = inside.indexOf('=');
    if (eq <= 0) {
      throw bad(path, "has a selector [" + inside + "] that is neither [N] nor [key=value]");
    }
    return new Select(inside.substring(0, eq).strip(), inside.substring(eq + 1).strip());
  }

  private static IllegalArgumentException bad(String path, String why) {
    return new IllegalArgumentException("path '" + path + "' " + why);
  }

  /** The path up to and including segment {@code count - 1}, for messages. */
  String prefix(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      Segment s = segments.get(i);
      if (s instanceof Key k && sb.length() > 0) {
        sb.append('.');
      }
      sb.append(s instanceof Key k ? k.name().replace(".", "\\.") : s.toString());
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return prefix(segments.size());
  }
}
