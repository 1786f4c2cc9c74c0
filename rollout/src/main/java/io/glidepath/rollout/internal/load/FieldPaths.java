package io.glidepath.rollout.internal.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The field paths of {@code valueFrom.fieldRef}: dotted names with {@code [index]} and {@code
 * ['key']} selectors into the Rollout object, e.g. {@code metadata.labels['region']}, {@code
 * metadata.name}, {@code spec.template.spec.containers[0].image}.
 */
public final class FieldPaths {
  private static final Pattern SEGMENT =
      Pattern.compile("([A-Za-z_$][A-Za-z0-9_$-]*)((?:\\[(?:\\d+|'[^']*'|\"[^\"]*\")\\])*)");
  private static final Pattern SELECTOR = Pattern.compile("\\[(\\d+|'[^']*'|\"[^\"]*\")\\]");

  private FieldPaths() {}

  /** Why {@code path} is not a field path Glidepath can read, or empty. */
  public static Optional<String> problem(String path) {
    try {
      parse(path);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The value at {@code path} in {@code object}, as text (a number or boolean as written); empty if
   * there is nothing there or it is not a scalar.
   */
  public static Optional<String> resolve(JsonNode object, String path) {
    JsonNode at = object;
    for (Object step : parse(path)) {
      if (step instanceof Integer i) {
        at = at.isArray() ? at.path(i) : at.path("" + i);
      } else {
        at = at.path((String) step);
      }
      if (at.isMissingNode() || at.isNull()) {
        return Optional.empty();
      }
    }
    return at.isValueNode() ? Optional.of(at.asString()) : Optional.empty();
  }

  private static List<Object> parse(String path) {
    List<Object> steps = new ArrayList<>();
    String rest = path.trim();
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    int pos = 0;
    while (pos < rest.length()) {
      Matcher m = SEGMENT.matcher(rest);
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(
            "must be a field path such as metadata.labels['app'], but was '" + path + "'");
      }
      steps.add(m.group(1));
      Matcher sel = SELECTOR.matcher(m.group(2));
      while (sel.find()) {
        String s = sel.group(1);
        if (s.startsWith("'") || s.startsWith("\"")) {
          steps.add(s.substring(1, s.length() - 1));
        } else {
          steps.add(Integer.parseInt(s));
        }
      }
      pos = m.end();
      if (pos < rest.length()) {
        if (rest.charAt(pos) != '.') {
          throw new IllegalArgumentException(
              "must be a field path such as metadata.labels['app'], but was '" + path + "'");
        }
        pos++;
        if (pos == rest.length()) {
          throw new IllegalArgumentException("must not end with '.', but was '" + path + "'");
        }
      }
    }
    return steps;
  }
}
