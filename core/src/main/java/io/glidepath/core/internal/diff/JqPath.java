package io.glidepath.core.internal.diff;

import io.glidepath.core.diff.IgnoreRuleException;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The jq subset accepted in {@code jqPathExpressions}: a pipeline of paths and {@code select}
 * filters that selects fields to ignore.
 *
 * <pre>
 * expression := stage ( '|' stage )*
 * stage      := path | 'select(' path ('==' | '!=') literal ')'
 * path       := '.' | step+
 * step       := ('.' name | '.' string | '[]' | '[' integer ']' | '[' string ']') '?'?   ('.[...]' also)
 * literal    := string | number | true | false | null
 * </pre>
 *
 * Anything else (functions, {@code ..}, arithmetic, {@code and}/{@code or}) is rejected with an
 * {@link IgnoreRuleException} naming the position. Immutable and thread-safe.
 */
public final class JqPath {
  private sealed interface Step permits Member, Index, Each {}

  private record Member(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Each() implements Step {}

  private sealed interface Stage permits PathStage, Select {}

  private record PathStage(List<Step> steps) implements Stage {}

  private record Select(List<Step> steps, boolean equal, JsonNode literal) implements Stage {}

  private final String text;
  private final List<Stage> stages;

  private JqPath(String text, List<Stage> stages) {
    this.text = text;
    this.stages = stages;
  }

  /** Parses {@code expression}; throws {@link IgnoreRuleException} outside the subset. */
  public static JqPath parse(String expression) {
    return new Parser(expression).parse();
  }

  @Override
  public String toString() {
    return text;
  }

  /** The concrete paths in {@code root} the expression selects. */
  List<List<Object>> select(JsonNode root) {
    List<Map.Entry<List<Object>, JsonNode>> current = new ArrayList<>();
    current.add(Map.entry(List.of(), root));
    for (Stage stage : stages) {
      List<Map.Entry<List<Object>, JsonNode>> next = new ArrayList<>();
      for (Map.Entry<List<Object>, JsonNode> e : current) {
        if (stage instanceof PathStage p) {
          walk(e.getKey(), e.getValue(), p.steps(), 0, next);
        } else if (stage instanceof Select s) {
          List<Map.Entry<List<Object>, JsonNode>> values = new ArrayList<>();
          walk(List.of(), e.getValue(), s.steps(), 0, values);
          boolean any = false;
          for (Map.Entry<List<Object>, JsonNode> v : values) {
            if (Semantics.scalarEquals(v.getValue(), s.literal())) {
              any = true;
            }
          }
          if (values.isEmpty() && s.literal().isNull()) {
            any = true;
          }
          if (any == s.equal()) {
            next.add(e);
          }
        }
      }
      current = next;
    }
    List<List<Object>> paths = new ArrayList<>();
    for (Map.Entry<List<Object>, JsonNode> e : current) {
      paths.add(e.getKey());
    }
    return paths;
  }

  private static void walk(
      List<Object> path,
      JsonNode node,
      List<Step> steps,
      int i,
      List<Map.Entry<List<Object>, JsonNode>> out) {
    if (i == steps.size()) {
      out.add(Map.entry(path, node));
      return;
    }
    Step step = steps.get(i);
    if (step instanceof Member m) {
      JsonNode child = node.isObject() ? node.get(m.name()) : null;
      if (child != null) {
        walk(append(path, m.name()), child, steps, i + 1, out);
      }
    } else if (step instanceof Index idx) {
      if (node.isArray()) {
        int k = idx.index() < 0 ? node.size() + idx.index() : idx.index();
        if (k >= 0 && k < node.size()) {
          walk(append(path, k), node.get(k), steps, i + 1, out);
        }
      }
    } else {
      if (node.isArray()) {
        for (int k = 0; k < node.size(); k++) {
          walk(append(path, k), node.get(k), steps, i + 1, out);
        }
      } else if (node.isObject()) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          walk(append(path, e.getKey()), e.getValue(), steps, i + 1, out);
        }
      }
    }
  }

  private static List<Object> append(List<Object> path, Object token) {
    List<Object> copy = new ArrayList<>(path.size() + 1);
    copy.addAll(path);
    copy.add(token);
    return copy;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    JqPath parse() {
      List<Stage> stages = new ArrayList<>();
      skipSpace();
      if (pos == s.length()) {
        throw error("expression is empty");
      }
      while (true) {
        stages.add(stage());
        skipSpace();
        if (pos == s.length()) {
          break;
        }
        if (s.charAt(pos) != '|') {
          throw error("expected '|' or end of expression");
        }
        pos++;
      }
      return new JqPath(s, List.copyOf(stages));
    }

    private Stage stage() {
      skipSpace();
      if (s.startsWith("select(", pos)) {
        pos += "select(".length();
        skipSpace();
        List<Step> steps = path();
        skipSpace();
        boolean equal;
        if (s.startsWith("==", pos)) {
          equal = true;
        } else if (s.startsWith("!=", pos)) {
          equal = false;
        } else {
          throw error("select(...) accepts only 'PATH == literal' or 'PATH != literal'");
        }
        pos += 2;
        skipSpace();
        JsonNode literal = literal();
        skipSpace();
        expect(')');
        return new Select(steps, equal, literal);
      }
      return new PathStage(path());
    }

    private List<Step> path() {
      if (pos >= s.length() || s.charAt(pos) != '.') {
        throw error("expected a path starting with '.'");
      }
      List<Step> steps = new ArrayList<>();
      boolean first = true;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '.') {
          if (pos + 1 < s.length() && s.charAt(pos + 1) == '.') {
            throw error("recursive descent '..' is not supported");
          }
          pos++;
          if (pos < s.length() && s.charAt(pos) == '"') {
            steps.add(new Member(string()));
          } else if (pos < s.length() && isNameStart(s.charAt(pos))) {
            int start = pos;
            while (pos < s.length() && isNamePart(s.charAt(pos))) {
              pos++;
            }
            steps.add(new Member(s.substring(start, pos)));
          } else if (pos < s.length() && s.charAt(pos) == '[') {
            continue;
          } else if (!first) {
            throw error("expected a field name after '.'");
          }
        } else if (c == '[') {
          pos++;
          skipSpace();
          if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            steps.add(new Each());
          } else if (pos < s.length() && s.charAt(pos) == '"') {
            steps.add(new Member(string()));
            skipSpace();
            expect(']');
          } else {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') {
              pos++;
            }
            while (pos < s.length() && isDigit(s.charAt(pos))) {
              pos++;
            }
            if (start == pos || s.substring(start, pos).equals("-")) {
              throw error("expected ']', an index or a quoted key inside '[...]'");
            }
            steps.add(new Index(Integer.parseInt(s.substring(start, pos))));
            skipSpace();
            expect(']');
          }
        } else {
          break;
        }
        // jq's optional '?' ('.list[]?', '.a?'): selecting never fails here, so it changes nothing
        if (pos < s.length() && s.charAt(pos) == '?') {
          pos++;
        }
        first = false;
      }
      return List.copyOf(steps);
    }

    private JsonNode literal() {
      int start = pos;
      if (pos < s.length() && s.charAt(pos) == '"') {
        string();
      } else {
        while (pos < s.length() && ")| \t".indexOf(s.charAt(pos)) < 0) {
          pos++;
        }
      }
      String raw = s.substring(start, pos);
      try {
        JsonNode node = Yaml.mapper().readTree(raw);
        if (node == null || node.isContainer() || node.isMissingNode()) {
          throw new IgnoreRuleException(s, start, "expected a string, number, true, false or null");
        }
        return node;
      } catch (JacksonException e) {
        pos = start;
        throw error("expected a string, number, true, false or null");
      }
    }

    private String string() {
      int start = pos;
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != '"') {
        if (s.charAt(pos) == '\\' && pos + 1 < s.length()) {
          pos++;
        }
        sb.append(s.charAt(pos));
        pos++;
      }
      if (pos >= s.length()) {
        pos = start;
        throw error("unterminated string");
      }
      pos++;
      return sb.toString();
    }

    private void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    // gojq's lexer, which Argo CD uses: blanks are tab, newline, carriage return and space; names
    // and numbers are ASCII (other letters and digits only in a quoted key)
    private void skipSpace() {
      while (pos < s.length() && isBlank(s.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(char c) {
      return isNameStart(c) || isDigit(c);
    }

    private IgnoreRuleException error(String problem) {
      return new IgnoreRuleException(s, pos, problem);
    }
  }
}
