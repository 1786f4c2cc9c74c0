package io.glidepath.analysis.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rewrites Argo Rollouts' expr syntax to CEL, keeping for every output character the offset of the
 * input character it came from, so that CEL's error positions can be reported in the user's text.
 *
 * <p>Rewrites: {@code and/or/not} to {@code &&/||/!}, {@code nil} to {@code null}, {@code len(} to
 * {@code size(}, backtick strings to CEL raw strings, and the expr builtins {@code all any none one
 * filter map count} with a {@code #} predicate to CEL macros. Everything else is copied.
 */
public final class ExprTranslator {
  private static final Map<String, String> WORDS = Map.of("and", "&&", "or", "||", "nil", "null");
  private static final List<String> PREDICATE_BUILTINS =
      List.of("all", "any", "none", "one", "filter", "map", "count");

  private final String src;
  private final StringBuilder out = new StringBuilder();
  private int[] map = new int[64];

  /** The CEL text and, per CEL character, the offset in the input. */
  public record Result(String cel, int[] offsets) {
    /** The input offset for an output offset (clamped to the input). */
    public int originalOffset(int celOffset) {
      if (offsets.length == 0) {
        return 0;
      }
      if (celOffset >= offsets.length) {
        // past the end (e.g. "unexpected end of input"): the same distance past the input's end
        return offsets[offsets.length - 1] + celOffset - offsets.length + 1;
      }
      return offsets[Math.max(0, celOffset)];
    }
  }

  /** Thrown for input the translator itself rejects (unbalanced brackets, a stray {@code #}). */
  public static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    SyntaxError(int offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }

    /** The offset in the input. */
    public int offset() {
      return offset;
    }
  }

  private ExprTranslator(String src) {
    this.src = src;
  }

  /** Translates {@code expression} to CEL. */
  public static Result translate(String expression) {
    ExprTranslator t = new ExprTranslator(expression);
    t.translate(0, expression.length(), null, 0);
    return new Result(t.out.toString(), Arrays.copyOf(t.map, t.out.length()));
  }

  private void emit(String s, int origin) {
    for (int i = 0; i < s.length(); i++) {
      emitChar(s.charAt(i), origin);
    }
  }

  private void emitChar(char c, int origin) {
    if (out.length() == map.length) {
      map = Arrays.copyOf(map, map.length * 2);
    }
    map[out.length()] = origin;
    out.append(c);
  }

  private void copy(int from, int to) {
    for (int i = from; i < to; i++) {
      emitChar(src.charAt(i), i);
    }
  }

  private void translate(int from, int to, String itVar, int depth) {
    int i = from;
    while (i < to) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        int end = skipString(i, to);
        copy(i, end);
        i = end;
      } else if (c == '`') {
        int end = src.indexOf('`', i + 1);
        if (end < 0 || end >= to) {
          throw new SyntaxError(i, "unterminated raw string");
        }
        String body = src.substring(i + 1, end);
        char quote = body.indexOf('"') < 0 ? '"' : '\'';
        if (body.indexOf(quote) >= 0 || body.indexOf('\n') >= 0) {
          throw new SyntaxError(
              i, "raw string must not contain both quote characters or a newline");
        }
        emit("r" + quote, i);
        copy(i + 1, end);
        emitChar(quote, end);
        i = end + 1;
      } else if (c == '#') {
        if (itVar == null) {
          throw new SyntaxError(
              i, "'#' is only valid inside a predicate such as all(result, # < 1)");
        }
        emit(itVar, i);
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < to && (Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_')) {
          end++;
        }
        String word = src.substring(i, end);
        boolean member = precededByDot(i);
        int next = skipSpaces(end, to);
        boolean call = next < to && src.charAt(next) == '(';
        if (member) {
          copy(i, end);
          i = end;
        } else if (call && PREDICATE_BUILTINS.contains(word)) {
          i = builtin(word, i, next, to, itVar, depth);
        } else if (call && word.equals("len")) {
          emit("size", i);
          i = end;
        } else if (word.equals("not")) {
          emit("!", i);
          i = end;
        } else if (WORDS.containsKey(word)) {
          emit(WORDS.get(word), i);
          i = end;
        } else {
          copy(i, end);
          i = end;
        }
      } else if (Character.isDigit(c)) {
        int end = i;
        while (end < to
            && (Character.isLetterOrDigit(src.charAt(end))
                || src.charAt(end) == '.'
                || ((src.charAt(end) == '+' || src.charAt(end) == '-')
                    && (src.charAt(end - 1) == 'e' || src.charAt(end - 1) == 'E')))) {
          end++;
        }
        copy(i, end);
        i = end;
      } else {
        emitChar(c, i);
        i++;
      }
    }
  }

  private int builtin(String word, int start, int open, int to, String itVar, int depth) {
    int close = matching(open, to);
    List<int[]> args = splitArgs(open + 1, close);
    if (args.size() != 2) {
      throw new SyntaxError(start, word + "() takes 2 arguments, but got " + args.size());
    }
    int[] range = args.get(0);
    int[] pred = trim(args.get(1));
    if (pred[0] < pred[1]
        && src.charAt(pred[0]) == '{'
        && matching(pred[0], pred[1]) == pred[1] - 1) {
      pred = new int[] {pred[0] + 1, pred[1] - 1};
    }
    String var = "it_" + depth;
    String macro =
        switch (word) {
          case "all" -> "all";
          case "any", "none" -> "exists";
          case "one" -> "exists_one";
          case "count", "filter" -> "filter";
          default -> "map";
        };
    if (word.equals("none")) {
      emit("!", start);
    }
    if (word.equals("count")) {
      emit("size(", start);
    }
    emit("(", start);
    translate(range[0], range[1], itVar, depth);
    emit(")." + macro + "(" + var + ", ", start);
    translate(pred[0], pred[1], var, depth + 1);
    emitChar(')', close);
    if (word.equals("count")) {
      emitChar(')', close);
    }
    return close + 1;
  }

  private int[] trim(int[] r) {
    int a = r[0];
    int b = r[1];
    while (a < b && Character.isWhitespace(src.charAt(a))) {
      a++;
    }
    while (b > a && Character.isWhitespace(src.charAt(b - 1))) {
      b--;
    }
    return new int[] {a, b};
  }

  private List<int[]> splitArgs(int from, int to) {
    List<int[]> parts = new ArrayList<>();
    int depth = 0;
    int start = from;
    int i = from;
    while (i < to) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipString(i, to);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(new int[] {start, i});
        start = i + 1;
      }
      i++;
    }
    if (start < to || !parts.isEmpty()) {
      parts.add(new int[] {start, to});
    }
    return parts;
  }

  private int matching(int open, int to) {
    int depth = 0;
    int i = open;
    while (i < to) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipString(i, to);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
      i++;
    }
    throw new SyntaxError(open, "'" + src.charAt(open) + "' is never closed");
  }

  private int skipString(int start, int to) {
    char quote = src.charAt(start);
    int i = start + 1;
    while (i < to) {
      char c = src.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote) {
        return i + 1;
      }
      i++;
    }
    throw new SyntaxError(start, "unterminated string");
  }

  private boolean precededByDot(int i) {
    int j = i - 1;
    while (j >= 0 && Character.isWhitespace(src.charAt(j))) {
      j--;
    }
    return j >= 0 && src.charAt(j) == '.';
  }

  private int skipSpaces(int i, int to) {
    while (i < to && Character.isWhitespace(src.charAt(i))) {
      i++;
    }
    return i;
  }
}
