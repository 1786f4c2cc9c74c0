package io.glidepath.appset.internal.gotemplate;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.TemplateException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed Go {@code text/template}: the subset Argo CD's ApplicationSet templates use. Actions
 * with trim markers and comments; pipelines with variables ({@code $x :=}, {@code $x =}); field,
 * variable and parenthesized chains; string, raw string, character, number, boolean and nil
 * literals; {@code if}/{@code else if}/{@code else}, {@code range} (with one or two variables,
 * {@code else}, {@code break}, {@code continue}, over lists, maps and integers), {@code
 * with}/{@code else with}. {@code define}, {@code template} and {@code block} are refused ({@link
 * Kind#UNSUPPORTED}); functions are resolved when parsing, as Go does, so an unknown one is a parse
 * error.
 *
 * <p>Parsing is bounded: at most {@value #MAX_LENGTH} characters and {@value #MAX_DEPTH} nested
 * blocks or parentheses. Immutable and thread-safe once parsed.
 */
public final class GoTemplate {
  static final int MAX_LENGTH = 1 << 20;
  static final int MAX_DEPTH = 100;

  final String text;
  final List<Node> root;

  private GoTemplate(String text, List<Node> root) {
    this.text = text;
    this.root = root;
  }

  /**
   * Parses {@code text}, resolving function names against {@code functions}.
   *
   * @throws TemplateException ({@link Kind#PARSE}, {@link Kind#UNSUPPORTED}) naming the line
   */
  public static GoTemplate parse(String text, Set<String> functions) {
    if (text.length() > MAX_LENGTH) {
      throw new TemplateException(
          Kind.LIMIT,
          "template is " + text.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    Parser p = new Parser(text, functions);
    List<Node> nodes = p.parseList(0, Set.of());
    if (p.tokens.get(p.pos).type() != T.EOF) {
      Token t = p.tokens.get(p.pos);
      throw p.error(t, "unexpected " + t.describe());
    }
    return new GoTemplate(text, nodes);
  }

  /** Renders with {@code data} as dot. */
  public String execute(Object data, Options options) {
    return new GoExec(this, options).run(data);
  }

  // ------------------------------------------------------------------ nodes

  sealed interface Node permits Text, Action, If, Range, With, Break, Continue {}

  record Text(String text) implements Node {}

  record Action(int line, Pipe pipe) implements Node {}

  /** An if (or with, when {@code with} is true) with its branches; else branches may chain. */
  record If(int line, Pipe pipe, List<Node> then, List<Node> otherwise) implements Node {}

  record With(int line, Pipe pipe, List<Node> then, List<Node> otherwise) implements Node {}

  record Range(int line, Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {}

  record Break(int line) implements Node {}

  record Continue(int line) implements Node {}

  /** A pipeline: declared (or assigned) variables, then commands joined by {@code |}. */
  record Pipe(int line, List<String> vars, boolean assign, List<Cmd> cmds) {}

  /** A command: its words; the first is a function name or an operand. */
  record Cmd(List<Arg> args) {}

  sealed interface Arg permits Field, Var, Dot, Func, Lit, Nil, Chain, SubPipe {}

  /** {@code .a.b}: a field chain on dot. */
  record Field(List<String> names) implements Arg {}

  /** {@code $x.a.b}: a variable and a field chain ({@code $} alone is the data). */
  record Var(String name, List<String> names) implements Arg {}

  record Dot() implements Arg {}

  record Func(String name) implements Arg {}

  record Lit(Object value) implements Arg {}

  record Nil() implements Arg {}

  /** {@code (pipeline).a.b}. */
  record Chain(Arg base, List<String> names) implements Arg {}

  record SubPipe(Pipe pipe) implements Arg {}

  /** Execution options: Go's {@code missingkey} option and the limits. */
  public record Options(MissingKey missingKey, long maxOutput, long maxSteps) {
    public static final Options DEFAULT = new Options(MissingKey.DEFAULT, 1 << 20, 1_000_000);

    public Options withMissingKey(MissingKey m) {
      return new Options(m, maxOutput, maxSteps);
    }
  }

  /** Go's {@code missingkey} option. */
  public enum MissingKey {
    DEFAULT,
    ZERO,
    ERROR
  }

  // ------------------------------------------------------------------ lexer

  enum T {
    TEXT,
    LEFT, // {{ (trim handled by the lexer)
    RIGHT,
    SPACE,
    IDENT,
    FIELD, // .name
    DOT,
    VAR, // $ or $name
    STRING,
    RAW,
    CHAR,
    NUMBER,
    BOOL,
    NIL,
    LPAREN,
    RPAREN,
    PIPE,
    DECLARE,
    ASSIGN,
    COMMA,
    EOF
  }

  record Token(T type, String text, int line) {
    String describe() {
      return switch (type) {
        case EOF -> "end of template";
        case RIGHT -> "\"}}\"";
        case LEFT -> "\"{{\"";
        case TEXT -> "text";
        default -> "<" + text + ">";
      };
    }
  }

  static final class Lexer {
    private final String s;
    private int i;
    private int line = 1;
    final List<Token> out = new ArrayList<>();

    Lexer(String s) {
      this.s = s;
    }

    List<Token> lex() {
      boolean trimNext = false;
      while (i < s.length()) {
        int open = s.indexOf("{{", i);
        String text = open < 0 ? s.substring(i) : s.substring(i, open);
        if (trimNext) {
          text = stripLeading(text);
        }
        trimNext = false;
        if (open < 0) {
          addText(text);
          i = s.length();
          break;
        }
        int actionStart = open + 2;
        boolean trimLeft =
            actionStart + 1 < s.length()
                && s.charAt(actionStart) == '-'
                && isSpace(s.charAt(actionStart + 1));
        if (trimLeft) {
          text = stripTrailing(text);
        }
        addText(text);
        countLines(i, open);
        i = trimLeft ? actionStart + 2 : actionStart;
        // a comment: {{/* ... */}}
        int afterSpaces = i;
        if (s.startsWith("/*", i)) {
          int end = s.indexOf("*/", i + 2);
          if (end < 0) {
            throw error("unclosed comment");
          }
          int close = end + 2;
          boolean trimRight = false;
          if (s.startsWith(" -}}", close) || s.startsWith("\t-}}", close)) {
            trimRight = true;
            close += 4;
          } else if (s.startsWith("}}", close)) {
            close += 2;
          } else {
            throw error("comment ends before closing delimiter");
          }
          countLines(i, close);
          i = close;
          trimNext = trimRight;
          continue;
        }
        i = afterSpaces;
        out.add(new Token(T.LEFT, "{{", line));
        trimNext = lexInsideAction();
      }
      out.add(new Token(T.EOF, "", line));
      return out;
    }

    private void addText(String text) {
      if (!text.isEmpty()) {
        out.add(new Token(T.TEXT, text, line));
      }
    }

    private void countLines(int from, int to) {
      for (int k = from; k < to && k < s.length(); k++) {
        if (s.charAt(k) == '\n') {
          line++;
        }
      }
    }

    /** Lexes up to and including the closing delimiter; returns whether it trims what follows. */
    private boolean lexInsideAction() {
      int depth = 0;
      while (true) {
        if (i >= s.length()) {
          throw error("unclosed action");
        }
        char c = s.charAt(i);
        if (isSpace(c)) {
          int start = i;
          while (i < s.length() && isSpace(s.charAt(i))) {
            if (s.charAt(i) == '\n') {
              line++;
            }
            i++;
          }
          // " -}}": the right trim marker
          if (s.startsWith("-}}", i) && i > start) {
            i += 3;
            if (depth > 0) {
              throw error("unclosed left paren");
            }
            out.add(new Token(T.RIGHT, "}}", line));
            return true;
          }
          out.add(new Token(T.SPACE, " ", line));
          continue;
        }
        if (s.startsWith("}}", i)) {
          if (depth > 0) {
            throw error("unclosed left paren");
          }
          i += 2;
          out.add(new Token(T.RIGHT, "}}", line));
          return false;
        }
        switch (c) {
          case '(' -> {
            depth++;
            out.add(new Token(T.LPAREN, "(", line));
            i++;
          }
          case ')' -> {
            depth--;
            if (depth < 0) {
              throw error("unexpected right paren");
            }
            out.add(new Token(T.RPAREN, ")", line));
            i++;
          }
          case '|' -> {
            out.add(new Token(T.PIPE, "|", line));
            i++;
          }
          case ',' -> {
            out.add(new Token(T.COMMA, ",", line));
            i++;
          }
          case ':' -> {
            if (!s.startsWith(":=", i)) {
              throw error("expected :=");
            }
            out.add(new Token(T.DECLARE, ":=", line));
            i += 2;
          }
          case '=' -> {
            out.add(new Token(T.ASSIGN, "=", line));
            i++;
          }
          case '"' -> out.add(new Token(T.STRING, quoted('"'), line));
          case '`' -> {
            int end = s.indexOf('`', i + 1);
            if (end < 0) {
              throw error("unterminated raw quoted string");
            }
            String raw = s.substring(i + 1, end);
            out.add(new Token(T.RAW, raw, line));
            countLines(i, end);
            i = end + 1;
          }
          case '\'' -> out.add(new Token(T.CHAR, quoted('\''), line));
          case '$' -> {
            int start = i++;
            while (i < s.length() && isAlnum(s.charAt(i))) {
              i++;
            }
            out.add(new Token(T.VAR, s.substring(start, i), line));
          }
          case '.' -> {
            if (i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
              number();
            } else {
              int start = i++;
              while (i < s.length() && isAlnum(s.charAt(i))) {
                i++;
              }
              if (i - start == 1) {
                out.add(new Token(T.DOT, ".", line));
              } else {
                out.add(new Token(T.FIELD, s.substring(start + 1, i), line));
              }
            }
          }
          default -> {
            if (c == '+' || c == '-' || isDigit(c)) {
              number();
            } else if (isAlnum(c)) {
              int start = i;
              while (i < s.length() && isAlnum(s.charAt(i))) {
                i++;
              }
              String word = s.substring(start, i);
              T type =
                  switch (word) {
                    case "true", "false" -> T.BOOL;
                    case "nil" -> T.NIL;
                    default -> T.IDENT;
                  };
              out.add(new Token(type, word, line));
            } else {
              throw error("unexpected \"" + c + "\" in command");
            }
          }
        }
      }
    }

    private void number() {
      int start = i;
      if (s.charAt(i) == '+' || s.charAt(i) == '-') {
        i++;
      }
      while (i < s.length()) {
        char c = s.charAt(i);
        if (isAlnum(c) || c == '.') {
          i++;
        } else if ((c == '+' || c == '-')
            && i > start
            && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'p')
            && !s.substring(start, i).startsWith("0x")) {
          i++;
        } else {
          break;
        }
      }
      out.add(new Token(T.NUMBER, s.substring(start, i), line));
    }

    private String quoted(char q) {
      int start = i++;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '\n') {
          throw error("unterminated quoted string");
        }
        i++;
        if (c == q) {
          return s.substring(start, i);
        }
      }
      throw error("unterminated quoted string");
    }

    private TemplateException error(String problem) {
      return new TemplateException(Kind.PARSE, "template: :" + line + ": " + problem);
    }

    static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static boolean isAlnum(char c) {
      return c == '_' || Character.isLetterOrDigit(c);
    }

    // text/template starts a number only with an ASCII digit (its isAlphaNumeric takes any
    // script's)
    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static String stripLeading(String t) {
      int k = 0;
      while (k < t.length() && isSpace(t.charAt(k))) {
        k++;
      }
      return t.substring(k);
    }

    private static String stripTrailing(String t) {
      int k = t.length();
      while (k > 0 && isSpace(t.charAt(k - 1))) {
        k--;
      }
      return t.substring(0, k);
    }
  }

  // ------------------------------------------------------------------ parser

  static final class Parser {
    final List<Token> tokens;
    final Set<String> functions;
    int pos;
    private final List<Set<String>> scopes = new ArrayList<>();

    Parser(String text, Set<String> functions) {
      this.tokens = new Lexer(text).lex();
      this.functions = functions;
      scopes.add(new java.util.HashSet<>(Set.of("$")));
    }

    private Token peek() {
      return tokens.get(pos);
    }

    private Token next() {
      return tokens.get(pos++);
    }

    private Token peekNonSpace() {
      int k = pos;
      while (tokens.get(k).type() == T.SPACE) {
        k++;
      }
      return tokens.get(k);
    }

    private Token nextNonSpace() {
      Token t = next();
      while (t.type() == T.SPACE) {
        t = next();
      }
      return t;
    }

    TemplateException error(Token t, String problem) {
      return new TemplateException(Kind.PARSE, "template: :" + t.line() + ": " + problem);
    }

    /**
     * Parses nodes until an action that starts with one of {@code stops} ({@code end}, {@code
     * else}); leaves the position on that action's {@code {{}.
     */
    List<Node> parseList(int depth, Set<String> stops) {
      if (depth > MAX_DEPTH) {
        throw new TemplateException(
            Kind.LIMIT, "template nests more than " + MAX_DEPTH + " blocks deep");
      }
      List<Node> nodes = new ArrayList<>();
      while (true) {
        Token t = peek();
        if (t.type() == T.EOF) {
          if (!stops.isEmpty()) {
            throw error(t, "unexpected EOF");
          }
          return nodes;
        }
        if (t.type() == T.TEXT) {
          next();
          nodes.add(new Text(t.text()));
          continue;
        }
        // an action
        int mark = pos;
        next(); // {{
        Token first = peekNonSpace();
        if (first.type() == T.IDENT) {
          String w = first.text();
          if (stops.contains(w)) {
            pos = mark;
            return nodes;
          }
          switch (w) {
            case "end", "else" -> throw error(first, "unexpected {{" + w + "}}");
            case "if" -> {
              nextNonSpace();
              nodes.add(parseIf(first.line(), depth, false));
              continue;
            }
            case "with" -> {
              nextNonSpace();
              nodes.add(parseIf(first.line(), depth, true));
              continue;
            }
            case "range" -> {
              nextNonSpace();
              nodes.add(parseRange(first.line(), depth));
              continue;
            }
            case "break", "continue" -> {
              nextNonSpace();
              if (!inRange) {
                throw error(first, "{{" + w + "}} outside {{range}}");
              }
              expectRight();
              nodes.add(w.equals("break") ? new Break(first.line()) : new Continue(first.line()));
              continue;
            }
            case "define", "template", "block" ->
                throw new TemplateException(
                    Kind.UNSUPPORTED,
                    "template: :"
                        + first.line()
                        + ": {{"
                        + w
                        + "}} is not supported by Glidepath's Go template engine (ApplicationSet"
                        + " templates are single strings: there is no other template to call)");
            default -> {
              // a pipeline starting with a function name
            }
          }
        }
        Pipe pipe = parsePipe(first.line(), depth, false);
        expectRight();
        nodes.add(new Action(first.line(), pipe));
      }
    }

    private boolean inRange;

    private void expectRight() {
      Token t = nextNonSpace();
      if (t.type() != T.RIGHT) {
        throw error(t, "unexpected " + t.describe() + " in command");
      }
    }

    /** After {@code if}/{@code with}: pipeline, body, optional else chain, end. */
    private Node parseIf(int line, int depth, boolean with) {
      Pipe pipe = parsePipe(line, depth, false);
      expectRight();
      pushScope();
      List<Node> then = parseList(depth + 1, Set.of("end", "else"));
      popScope();
      List<Node> otherwise = List.of();
      next(); // {{
      Token w = nextNonSpace();
      if (w.text().equals("else")) {
        Token after = peekNonSpace();
        if (after.type() == T.IDENT && after.text().equals(with ? "with" : "if")) {
          // else if / else with: a nested node that consumes the shared {{end}}
          nextNonSpace();
          pushScope();
          otherwise = List.of(parseIf(after.line(), depth + 1, with));
          popScope();
          return with ? new With(line, pipe, then, otherwise) : new If(line, pipe, then, otherwise);
        }
        expectRight();
        pushScope();
        otherwise = parseList(depth + 1, Set.of("end"));
        popScope();
        next(); // {{
        nextNonSpace(); // end
      }
      expectRight();
      return with ? new With(line, pipe, then, otherwise) : new If(line, pipe, then, otherwise);
    }

    private Node parseRange(int line, int depth) {
      pushScope();
      Pipe pipe = parsePipe(line, depth, true);
      expectRight();
      boolean outer = inRange;
      inRange = true;
      List<Node> body = parseList(depth + 1, Set.of("end", "else"));
      inRange = outer;
      popScope();
      List<Node> otherwise = List.of();
      next();
      Token w = nextNonSpace();
      if (w.text().equals("else")) {
        expectRight();
        pushScope();
        otherwise = parseList(depth + 1, Set.of("end"));
        popScope();
        next();
        nextNonSpace();
      }
      expectRight();
      return new Range(line, pipe, body, otherwise);
    }

    private void pushScope() {
      scopes.add(new java.util.HashSet<>());
    }

    private void popScope() {
      scopes.remove(scopes.size() - 1);
    }

    private boolean declared(String var) {
      for (Set<String> s : scopes) {
        if (s.contains(var)) {
          return true;
        }
      }
      return false;
    }

    /** A pipeline, up to (not including) the closing delimiter or right paren. */
    Pipe parsePipe(int line, int depth, boolean range) {
      if (depth > MAX_DEPTH) {
        throw new TemplateException(
            Kind.LIMIT, "template nests more than " + MAX_DEPTH + " levels deep");
      }
      List<String> vars = new ArrayList<>();
      boolean assign = false;
      // declarations: $x := / $x = / $i, $v :=
      int mark = pos;
      Token v = peekNonSpace();
      if (v.type() == T.VAR) {
        nextNonSpace();
        Token op = peekNonSpace();
        if (op.type() == T.DECLARE || op.type() == T.ASSIGN) {
          nextNonSpace();
          vars.add(v.text());
          assign = op.type() == T.ASSIGN;
        } else if (op.type() == T.COMMA && range) {
          nextNonSpace();
          Token v2 = nextNonSpace();
          Token op2 = nextNonSpace();
          if (v2.type() != T.VAR || op2.type() != T.DECLARE && op2.type() != T.ASSIGN) {
            throw error(v2, "range can only initialize variables");
          }
          vars.add(v.text());
          vars.add(v2.text());
          assign = op2.type() == T.ASSIGN;
        } else {
          pos = mark;
        }
      }
      for (String var : vars) {
        if (assign) {
          if (!declared(var)) {
            throw error(v, "undefined variable \"" + var + "\"");
          }
        } else {
          scopes.get(scopes.size() - 1).add(var);
        }
      }
      List<Cmd> cmds = new ArrayList<>();
      while (true) {
        cmds.add(parseCmd(depth));
        Token t = peekNonSpace();
        if (t.type() == T.PIPE) {
          nextNonSpace();
          continue;
        }
        break;
      }
      if (cmds.isEmpty() || cmds.get(0).args().isEmpty()) {
        throw error(peek(), "missing value for command");
      }
      return new Pipe(line, List.copyOf(vars), assign, List.copyOf(cmds));
    }

    private Cmd parseCmd(int depth) {
      List<Arg> args = new ArrayList<>();
      while (true) {
        Token t = peekNonSpace();
        if (t.type() == T.RIGHT
            || t.type() == T.RPAREN
            || t.type() == T.PIPE
            || t.type() == T.EOF) {
          break;
        }
        args.add(parseOperand(depth));
        Token after = peek();
        if (after.type() != T.SPACE
            && after.type() != T.RIGHT
            && after.type() != T.RPAREN
            && after.type() != T.PIPE) {
          throw error(after, "missing space?");
        }
      }
      if (args.isEmpty()) {
        throw error(peekNonSpace(), "missing value for command");
      }
      return new Cmd(List.copyOf(args));
    }

    private Arg parseOperand(int depth) {
      Token t = nextNonSpace();
      Arg base =
          switch (t.type()) {
            case FIELD -> new Field(new ArrayList<>(List.of(t.text())));
            case DOT -> new Dot();
            case VAR -> {
              if (!declared(t.text())) {
                throw error(t, "undefined variable \"" + t.text() + "\"");
              }
              yield new Var(t.text(), new ArrayList<>());
            }
            case IDENT -> {
              if (!functions.contains(t.text())) {
                if (Functions.UNSUPPORTED.contains(t.text())) {
                  throw new TemplateException(
                      Kind.UNSUPPORTED,
                      "template: :"
                          + t.line()
                          + ": function \""
                          + t.text()
                          + "\" (Sprig) is not supported by Glidepath's Go template engine: it"
                          + " depends on the clock, randomness, keys or the network");
                }
                throw error(t, "function \"" + t.text() + "\" not defined");
              }
              yield new Func(t.text());
            }
            case STRING -> new Lit(GoStrings.unquote(t.text(), t.line()));
            case RAW -> new Lit(t.text());
            case CHAR -> new Lit((long) GoStrings.unquoteChar(t.text(), t.line()));
            case NUMBER -> new Lit(GoStrings.number(t.text(), t.line()));
            case BOOL -> new Lit(Boolean.parseBoolean(t.text()));
            case NIL -> new Nil();
            case LPAREN -> {
              Pipe p = parsePipe(t.line(), depth + 1, false);
              Token close = nextNonSpace();
              if (close.type() != T.RPAREN) {
                throw error(close, "unclosed left paren");
              }
              yield new SubPipe(p);
            }
            default -> throw error(t, "unexpected " + t.describe() + " in operand");
          };
      // field chain directly after the term
      List<String> names = new ArrayList<>();
      while (peek().type() == T.FIELD) {
        names.add(next().text());
      }
      if (names.isEmpty()) {
        return freeze(base);
      }
      if (base instanceof Field f) {
        f.names().addAll(names);
        return freeze(f);
      }
      if (base instanceof Var v) {
        v.names().addAll(names);
        return freeze(v);
      }
      if (base instanceof SubPipe sp) {
        return new Chain(sp, List.copyOf(names));
      }
      if (base instanceof Dot) {
        return new Field(List.copyOf(names));
      }
      throw error(t, "unexpected . after term \"" + t.text() + "\"");
    }

    private static Arg freeze(Arg a) {
      if (a instanceof Field f) {
        return new Field(List.copyOf(f.names()));
      }
      if (a instanceof Var v) {
        return new Var(v.name(), List.copyOf(v.names()));
      }
      return a;
    }
  }
}
