package io.glidepath.analysis.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.glidepath.analysis.condition.ConditionSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared CEL environment for conditions: one compiler and one runtime, configured with
 * heterogeneous numeric comparisons, the standard macros, size and iteration limits, and Argo's
 * expr helper functions.
 */
public final class CelSupport {
  /** Longest accepted expression, in characters (checked before and by CEL). */
  public static final int MAX_EXPRESSION_LENGTH = 4096;

  /** Iteration bound across comprehensions in one evaluation. */
  public static final int MAX_ITERATIONS = 10_000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH * 2)
          .build();

  private static final String[][] ARITHMETIC = {
    {"_+_", "gp_add"}, {"_-_", "gp_subtract"}, {"_*_", "gp_multiply"}, {"_/_", "gp_divide"}
  };

  private static final CelCompiler COMPILER = buildCompiler();
  private static final CelRuntime RUNTIME = buildRuntime();

  private CelSupport() {}

  /** A compiled program. Thread-safe. */
  public record Compiled(String celText, CelRuntime.Program program) {
    /** Evaluates with {@code result} bound. */
    public Object evaluate(Object result) throws EvaluationFailure {
      return evaluate(result, Map.of());
    }

    /**
     * Evaluates with {@code result} and the template's arguments bound ({@code args["name"]}, the
     * safe argument binding).
     */
    public Object evaluate(Object result, Map<String, Object> args) throws EvaluationFailure {
      try {
        return program.eval(Map.of("result", result, "args", args));
      } catch (CelEvaluationException e) {
        throw new EvaluationFailure(e.getMessage(), e);
      } catch (RuntimeException e) {
        // CEL reports some type errors of dynamic values as unchecked exceptions
        throw new EvaluationFailure(String.valueOf(e.getMessage()), e);
      }
    }
  }

  /** An evaluation that failed; the message is CEL's. */
  public static final class EvaluationFailure extends Exception {
    private static final long serialVersionUID = 1L;

    EvaluationFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Translates and compiles {@code expression}. */
  public static Compiled compile(String expression) {
    if (expression.isBlank()) {
      throw new ConditionSyntaxException(expression, 1, 1, "expression is empty");
    }
    if (expression.length() > MAX_EXPRESSION_LENGTH) {
      throw new ConditionSyntaxException(
          expression.substring(0, 40) + "...",
          1,
          1,
          "expression is longer than "
              + MAX_EXPRESSION_LENGTH
              + " characters: "
              + expression.length());
    }
    ExprTranslator.Result translated;
    try {
      translated = ExprTranslator.translate(expression);
    } catch (ExprTranslator.SyntaxError e) {
      int[] lc = lineColumn(expression, e.offset());
      throw new ConditionSyntaxException(expression, lc[0], lc[1], e.getMessage());
    }
    CelValidationResult result = COMPILER.compile(translated.cel());
    if (result.hasError()) {
      CelIssue issue = result.getErrors().get(0);
      int celOffset =
          offsetOf(
              translated.cel(),
              issue.getSourceLocation().getLine(),
              issue.getSourceLocation().getColumn());
      int[] lc = lineColumn(expression, translated.originalOffset(celOffset));
      throw new ConditionSyntaxException(expression, lc[0], lc[1], issue.getMessage());
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      return new Compiled(translated.cel(), RUNTIME.createProgram(ast));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new ConditionSyntaxException(expression, 1, 1, e.getMessage());
    }
  }

  private static int offsetOf(String text, int line, int column) {
    int offset = 0;
    for (int l = 1; l < line && offset < text.length(); l++) {
      int nl = text.indexOf('\n', offset);
      if (nl < 0) {
        break;
      }
      offset = nl + 1;
    }
    return Math.max(0, offset + Math.max(0, column));
  }

  static int[] lineColumn(String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }

  private static CelCompiler buildCompiler() {
    List<CelFunctionDecl> decls = new ArrayList<>();
    decls.add(fn("isNaN", "gp_isNaN_double", SimpleType.BOOL, SimpleType.DOUBLE));
    decls.add(fn("isInf", "gp_isInf_double", SimpleType.BOOL, SimpleType.DOUBLE));
    decls.add(fn("isNil", "gp_isNil_dyn", SimpleType.BOOL, SimpleType.DYN));
    // dyn results: expr compares a converted value with a literal of the other numeric type by
    // value (asFloat(result) == 1); CEL's typed == would refuse (double, int) at compile time
    decls.add(fn("asInt", "gp_asInt_dyn", SimpleType.DYN, SimpleType.DYN));
    decls.add(fn("asFloat", "gp_asFloat_dyn", SimpleType.DYN, SimpleType.DYN));
    decls.add(fn("default", "gp_default_dyn_dyn", SimpleType.DYN, SimpleType.DYN, SimpleType.DYN));
    for (String[] op : ARITHMETIC) {
      decls.add(
          CelFunctionDecl.newFunctionDeclaration(
              op[0],
              CelOverloadDecl.newGlobalOverload(
                  op[1] + "_double_int", SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.INT),
              CelOverloadDecl.newGlobalOverload(
                  op[1] + "_int_double", SimpleType.DOUBLE, SimpleType.INT, SimpleType.DOUBLE)));
    }
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("result", SimpleType.DYN)
        // the arguments, when a template is resolved with ArgumentBinding.VARIABLES
        .addVar("args", MapType.create(SimpleType.STRING, SimpleType.DYN))
        .addFunctionDeclarations(decls)
        .build();
  }

  private static CelFunctionDecl fn(
      String name, String overload, CelType result, CelType... params) {
    return CelFunctionDecl.newFunctionDeclaration(
        name, CelOverloadDecl.newGlobalOverload(overload, result, params));
  }

  private static CelRuntime buildRuntime() {
    List<CelFunctionBinding> b = new ArrayList<>();
    b.add(CelFunctionBinding.from("gp_isNaN_double", Double.class, (Double d) -> d.isNaN()));
    b.add(CelFunctionBinding.from("gp_isInf_double", Double.class, (Double d) -> d.isInfinite()));
    b.add(CelFunctionBinding.from("gp_isNil_dyn", Object.class, (Object o) -> isNil(o)));
    b.add(CelFunctionBinding.from("gp_asInt_dyn", Object.class, CelSupport::asInt));
    b.add(CelFunctionBinding.from("gp_asFloat_dyn", Object.class, CelSupport::asFloat));
    b.add(
        CelFunctionBinding.from(
            "gp_default_dyn_dyn",
            Object.class,
            Object.class,
            (Object value, Object fallback) -> isNil(value) ? fallback : value));
    b.add(CelFunctionBinding.from("gp_add_double_int", Double.class, Long.class, (x, y) -> x + y));
    b.add(CelFunctionBinding.from("gp_add_int_double", Long.class, Double.class, (x, y) -> x + y));
    b.add(
        CelFunctionBinding.from(
            "gp_subtract_double_int", Double.class, Long.class, (x, y) -> x - y));
    b.add(
        CelFunctionBinding.from(
            "gp_subtract_int_double", Long.class, Double.class, (x, y) -> x - y));
    b.add(
        CelFunctionBinding.from(
            "gp_multiply_double_int", Double.class, Long.class, (x, y) -> x * y));
    b.add(
        CelFunctionBinding.from(
            "gp_multiply_int_double", Long.class, Double.class, (x, y) -> x * y));
    b.add(
        CelFunctionBinding.from("gp_divide_double_int", Double.class, Long.class, (x, y) -> x / y));
    b.add(
        CelFunctionBinding.from("gp_divide_int_double", Long.class, Double.class, (x, y) -> x / y));
    return CelRuntimeFactory.standardCelRuntimeBuilder()
        .setOptions(OPTIONS)
        .addFunctionBindings(b)
        .build();
  }

  private static boolean isNil(Object o) {
    return o == null || o instanceof NullValue;
  }

  private static Long asInt(Object o) throws CelEvaluationException {
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new CelEvaluationException("asInt: cannot convert " + d + " to int");
      }
      return d.longValue();
    }
    if (o instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new CelEvaluationException("asInt: '" + s + "' is not an integer");
      }
    }
    throw new CelEvaluationException("asInt: cannot convert a " + typeName(o) + " to int");
  }

  private static Double asFloat(Object o) throws CelEvaluationException {
    if (o instanceof Double d) {
      return d;
    }
    if (o instanceof Long l) {
      return l.doubleValue();
    }
    if (o instanceof String s) {
      String t = s.trim();
      switch (t) {
        case "NaN":
          return Double.NaN;
        case "+Inf", "Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
      try {
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw new CelEvaluationException("asFloat: '" + s + "' is not a number");
      }
    }
    throw new CelEvaluationException("asFloat: cannot convert a " + typeName(o) + " to float");
  }

  private static String typeName(Object o) {
    if (o instanceof List<?>) {
      return "list";
    }
    if (o instanceof Map<?, ?>) {
      return "map";
    }
    return o == null ? "null" : o.getClass().getSimpleName();
  }
}
