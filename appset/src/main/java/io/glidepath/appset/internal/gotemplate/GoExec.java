package io.glidepath.appset.internal.gotemplate;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.TemplateException.Kind;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Action;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Arg;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Break;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Chain;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Cmd;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Continue;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Dot;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Field;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Func;
import io.glidepath.appset.internal.gotemplate.GoTemplate.If;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Lit;
import io.glidepath.appset.internal.gotemplate.GoTemplate.MissingKey;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Nil;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Node;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Options;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Pipe;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Range;
import io.glidepath.appset.internal.gotemplate.GoTemplate.SubPipe;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Text;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Var;
import io.glidepath.appset.internal.gotemplate.GoTemplate.With;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link GoTemplate} with Go's semantics: truth, field lookup on maps with the {@code
 * missingkey} option, {@code "<no value>"} for a missing value, variables and their scopes, {@code
 * and}/{@code or} evaluated lazily, pipelines passing the previous result as the last argument.
 * Bounded by the options' output size and number of steps. One use per execution.
 */
final class GoExec {
  /** Go's invalid {@code reflect.Value}: what a missing map key gives. */
  static final Object MISSING =
      new Object() {
        @Override
        public String toString() {
          return "<no value>";
        }
      };

  private final GoTemplate template;
  private final Options options;
  private final StringBuilder out = new StringBuilder();
  private final List<String> varNames = new ArrayList<>();
  private final List<Object> varValues = new ArrayList<>();
  private long steps;
  private int depth;

  GoExec(GoTemplate template, Options options) {
    this.template = template;
    this.options = options;
  }

  String run(Object data) {
    push("$", data);
    walk(template.root, data);
    return out.toString();
  }

  // ------------------------------------------------------------------ walking

  private static final class BreakSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BreakSignal() {
      super(null, null, false, false);
    }
  }

  private static final class ContinueSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContinueSignal() {
      super(null, null, false, false);
    }
  }

  private void walk(List<Node> nodes, Object dot) {
    for (Node n : nodes) {
      step();
      if (n instanceof Text t) {
        write(t.text());
      } else if (n instanceof Action a) {
        Object v = evalPipe(dot, a.pipe());
        if (a.pipe().vars().isEmpty()) {
          write(printable(v));
        }
      } else if (n instanceof If i) {
        int mark = mark();
        boolean truth = truth(evalPipe(dot, i.pipe()));
        walk(truth ? i.then() : i.otherwise(), dot);
        pop(mark);
      } else if (n instanceof With w) {
        int mark = mark();
        Object v = evalPipe(dot, w.pipe());
        if (truth(v)) {
          walk(w.then(), v);
        } else {
          walk(w.otherwise(), dot);
        }
        pop(mark);
      } else if (n instanceof Range r) {
        range(r, dot);
      } else if (n instanceof Break) {
        throw new BreakSignal();
      } else if (n instanceof Continue) {
        throw new ContinueSignal();
      }
    }
  }

  private void range(Range r, Object dot) {
    int mark = mark();
    Pipe p = r.pipe();
    Object v = evalPipe(dot, new Pipe(p.line(), List.of(), false, p.cmds()));
    List<Object[]> items = new ArrayList<>(); // key, value
    if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        items.add(new Object[] {(long) i, l.get(i)});
      }
    } else if (v instanceof Map<?, ?> m) {
      GoFormat.sorted(m).forEach((k, val) -> items.add(new Object[] {k, val}));
    } else if (v instanceof Long n) {
      if (p.vars().size() > 1) {
        throw exec(p.line(), "range", "can't use " + n + " to iterate over more than one variable");
      }
      for (long i = 0; i < n; i++) {
        step();
        items.add(new Object[] {i, i});
      }
    } else if (v != null && v != MISSING) {
      throw exec(p.line(), "range", "range can't iterate over " + GoFormat.value(v));
    }
    if (items.isEmpty()) {
      walk(r.otherwise(), dot);
      pop(mark);
      return;
    }
    for (Object[] item : items) {
      step();
      int inner = mark();
      if (p.vars().size() == 1) {
        setVar(p.vars().get(0), item[1], p.assign());
      } else if (p.vars().size() == 2) {
        setVar(p.vars().get(0), item[0], p.assign());
        setVar(p.vars().get(1), item[1], p.assign());
      }
      try {
        walk(r.body(), item[1]);
      } catch (ContinueSignal c) {
        // next item
      } catch (BreakSignal b) {
        pop(inner);
        break;
      }
      pop(inner);
    }
    pop(mark);
  }

  private void setVar(String name, Object value, boolean assign) {
    if (assign) {
      for (int i = varNames.size() - 1; i >= 0; i--) {
        if (varNames.get(i).equals(name)) {
          varValues.set(i, value);
          return;
        }
      }
    }
    push(name, value);
  }

  private void write(String s) {
    if (out.length() + (long) s.length() > options.maxOutput()) {
      throw new TemplateException(
          Kind.LIMIT, "template output exceeds " + options.maxOutput() + " characters");
    }
    out.append(s);
  }

  void step() {
    if (++steps > options.maxSteps()) {
      throw new TemplateException(
          Kind.LIMIT, "template ran more than " + options.maxSteps() + " steps");
    }
  }

  private static String printable(Object v) {
    if (v == null || v == MISSING) {
      return "<no value>";
    }
    return GoFormat.value(v);
  }

  // ------------------------------------------------------------------ variables

  private void push(String name, Object value) {
    varNames.add(name);
    varValues.add(value);
  }

  private int mark() {
    return varNames.size();
  }

  private void pop(int mark) {
    while (varNames.size() > mark) {
      varNames.remove(varNames.size() - 1);
      varValues.remove(varValues.size() - 1);
    }
  }

  private Object varValue(String name, int line) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(name)) {
        return varValues.get(i);
      }
    }
    throw exec(line, name, "undefined variable: " + name);
  }

  // ------------------------------------------------------------------ evaluation

  Object evalPipe(Object dot, Pipe pipe) {
    if (++depth > GoTemplate.MAX_DEPTH) {
      throw new TemplateException(
          Kind.LIMIT, "template nests more than " + GoTemplate.MAX_DEPTH + " calls deep");
    }
    try {
      Object value = null;
      boolean hasFinal = false;
      for (Cmd c : pipe.cmds()) {
        value = evalCmd(dot, c, value, hasFinal, pipe.line());
        hasFinal = true;
      }
      for (String v : pipe.vars()) {
        setVar(v, value, pipe.assign());
      }
      return value;
    } finally {
      depth--;
    }
  }

  private Object evalCmd(Object dot, Cmd cmd, Object finalValue, boolean hasFinal, int line) {
    step();
    Arg first = cmd.args().get(0);
    if (first instanceof Func f) {
      List<Arg> rest = cmd.args().subList(1, cmd.args().size());
      if (f.name().equals("and") || f.name().equals("or")) {
        return andOr(f.name(), dot, rest, finalValue, hasFinal, line);
      }
      List<Object> args = new ArrayList<>(rest.size() + 1);
      for (Arg a : rest) {
        args.add(evalArg(dot, a, line));
      }
      if (hasFinal) {
        args.add(finalValue);
      }
      try {
        return Functions.call(f.name(), args, this);
      } catch (TemplateException e) {
        if (e.kind() == Kind.EXECUTE && !e.getMessage().startsWith("template:")) {
          throw exec(line, f.name(), "error calling " + f.name() + ": " + e.getMessage());
        }
        throw e;
      }
    }
    if (cmd.args().size() > 1 || hasFinal) {
      throw exec(line, describe(first), "can't give argument to non-function " + describe(first));
    }
    if (first instanceof Nil) {
      throw exec(line, "nil", "nil is not a command");
    }
    return evalArg(dot, first, line);
  }

  private Object andOr(
      String name, Object dot, List<Arg> args, Object finalValue, boolean hasFinal, int line) {
    int n = args.size() + (hasFinal ? 1 : 0);
    if (n < 1) {
      throw exec(line, name, "wrong number of args for " + name + ": want at least 1 got 0");
    }
    Object v = null;
    for (int i = 0; i < n; i++) {
      v = i < args.size() ? evalArg(dot, args.get(i), line) : finalValue;
      boolean t = truth(v);
      if (name.equals("and") ? !t : t) {
        return v;
      }
    }
    return v;
  }

  private Object evalArg(Object dot, Arg a, int line) {
    if (a instanceof Field f) {
      return chain(dot, f.names(), line, describe(a));
    }
    if (a instanceof Var v) {
      return chain(varValue(v.name(), line), v.names(), line, describe(a));
    }
    if (a instanceof Dot) {
      return dot;
    }
    if (a instanceof Lit l) {
      return l.value();
    }
    if (a instanceof Nil) {
      return null;
    }
    if (a instanceof SubPipe sp) {
      return evalPipe(dot, sp.pipe());
    }
    if (a instanceof Chain c) {
      return chain(evalArg(dot, c.base(), line), c.names(), line, describe(a));
    }
    if (a instanceof Func f) {
      return Functions.call(f.name(), List.of(), this);
    }
    throw new IllegalStateException("unknown argument " + a);
  }

  private Object chain(Object receiver, List<String> names, int line, String at) {
    Object r = receiver;
    for (String name : names) {
      step();
      if (r == MISSING) {
        if (options.missingKey() == MissingKey.ERROR) {
          throw exec(line, at, "nil data; no entry for key \"" + name + "\"");
        }
        continue;
      }
      if (r == null) {
        throw exec(line, at, "nil pointer evaluating interface {}." + name);
      }
      if (r instanceof Map<?, ?> m) {
        if (m.containsKey(name)) {
          r = m.get(name);
        } else {
          switch (options.missingKey()) {
            case ERROR -> throw exec(line, at, "map has no entry for key \"" + name + "\"");
            case ZERO -> r = null;
            default -> r = MISSING;
          }
        }
        continue;
      }
      throw exec(line, at, "can't evaluate field " + name + " in type " + GoFormat.typeName(r));
    }
    return r;
  }

  private static String describe(Arg a) {
    if (a instanceof Field f) {
      return "." + String.join(".", f.names());
    }
    if (a instanceof Var v) {
      return v.name() + (v.names().isEmpty() ? "" : "." + String.join(".", v.names()));
    }
    if (a instanceof Dot) {
      return ".";
    }
    if (a instanceof Func f) {
      return f.name();
    }
    if (a instanceof Lit l) {
      return l.value() instanceof String s ? GoStrings.quote(s) : String.valueOf(l.value());
    }
    if (a instanceof Chain c) {
      return "(" + describe(c.base()) + ")." + String.join(".", c.names());
    }
    if (a instanceof SubPipe) {
      return "(...)";
    }
    return "nil";
  }

  static TemplateException exec(int line, String at, String problem) {
    return new TemplateException(
        Kind.EXECUTE, "template: :" + line + ": executing \"\" at <" + at + ">: " + problem);
  }

  /** Go's truth: false, 0, nil, an empty string, list or map are false. */
  static boolean truth(Object v) {
    if (v == null || v == MISSING) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof List<?> l) {
      return !l.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  Options options() {
    return options;
  }
}
