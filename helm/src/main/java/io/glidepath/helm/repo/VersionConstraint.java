package io.glidepath.helm.repo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version constraint as Helm (and Argo CD's {@code targetRevision} for charts) reads it, with the
 * rules of the Go library Helm uses (Masterminds semver v3): {@code 1.2.3}, {@code =1.2.3}, {@code
 * !=}, {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ~1.2} (same minor), {@code ^1.2} (same
 * major; for {@code 0.x} the same minor), wildcards {@code 1.2.x} and {@code *} (a missing part is
 * a wildcard too: {@code 1.2} is {@code 1.2.x}), ranges {@code 1.2 - 1.4.5}, conditions joined by
 * spaces or commas (and) and by {@code ||} (or). A pre-release version satisfies only conditions
 * that name a pre-release themselves.
 *
 * <pre>{@code
 * VersionConstraint c = VersionConstraint.parse("^4.11");
 * c.highest(List.of(v("4.10.0"), v("4.11.2"), v("5.0.0")));   // 4.11.2
 * }</pre>
 *
 * @param text the constraint as written
 */
public record VersionConstraint(String text, List<List<Condition>> anyOf) {
  private static final String OPS = "!=|>=|=>|<=|=<|~>|\\^|~|>|<|=";
  private static final String CV =
      "v?([0-9xX*]+)(\\.[0-9xX*]+)?(\\.[0-9xX*]+)?"
          + "(-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?"
          + "(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?";
  private static final Pattern ONE = Pattern.compile("\\s*(" + OPS + ")?\\s*(" + CV + ")\\s*");
  private static final String CV_PLAIN =
      "v?[0-9xX*]+(?:\\.[0-9xX*]+)?(?:\\.[0-9xX*]+)?"
          + "(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?"
          + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?";
  private static final Pattern RANGE =
      Pattern.compile("\\s*(" + CV_PLAIN + ")\\s+-\\s+(" + CV_PLAIN + ")\\s*");

  public VersionConstraint {
    Objects.requireNonNull(text, "text");
    anyOf = anyOf.stream().map(List::copyOf).toList();
  }

  /**
   * One condition: an operator and a version whose missing or wildcard parts are marked.
   *
   * @param op {@code =}, {@code !=}, {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ~} or
   *     {@code ^} ({@code ""} is {@code =})
   */
  public record Condition(
      String op, ChartVersion version, boolean dirty, boolean minorDirty, boolean patchDirty) {}

  /**
   * The constraint {@code text} states; blank means any version.
   *
   * @throws IllegalArgumentException naming the part that is not a constraint
   */
  public static VersionConstraint parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > 1024) {
      throw new IllegalArgumentException("a version constraint is longer than 1024 characters");
    }
    String rewritten = text;
    Matcher r = RANGE.matcher(rewritten);
    StringBuilder sb = new StringBuilder();
    while (r.find()) {
      r.appendReplacement(
          sb, Matcher.quoteReplacement(" >= " + r.group(1) + ", <= " + r.group(2) + " "));
    }
    r.appendTail(sb);
    rewritten = sb.toString();
    List<List<Condition>> ors = new ArrayList<>();
    for (String group : rewritten.split("\\|\\|", -1)) {
      List<Condition> and = new ArrayList<>();
      String g = group.strip();
      if (g.isEmpty()) {
        if (rewritten.strip().isEmpty()) {
          and.add(any());
          ors.add(and);
          continue;
        }
        throw new IllegalArgumentException("improper constraint: \"" + text + "\"");
      }
      // split into conditions: an operator starts a new one; commas and spaces separate
      int i = 0;
      while (i < g.length()) {
        while (i < g.length() && (g.charAt(i) == ',' || Character.isWhitespace(g.charAt(i)))) {
          i++;
        }
        if (i >= g.length()) {
          break;
        }
        Matcher m = ONE.matcher(g);
        m.region(i, g.length());
        if (!m.lookingAt()) {
          throw new IllegalArgumentException(
              "improper constraint: \"" + text + "\" (at \"" + g.substring(i) + "\")");
        }
        and.add(condition(m.group(1) == null ? "" : m.group(1), m));
        i = m.end();
        if (i < g.length() && g.charAt(i) != ',' && !Character.isWhitespace(g.charAt(i - 1))) {
          throw new IllegalArgumentException(
              "improper constraint: \"" + text + "\" (at \"" + g.substring(i) + "\")");
        }
      }
      ors.add(and);
    }
    return new VersionConstraint(text, ors);
  }

  private static Condition any() {
    return new Condition(
        "",
        new ChartVersion("0.0.0", BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, "", ""),
        true,
        false,
        false);
  }

  private static Condition condition(String op, Matcher m) {
    String major = m.group(3);
    String minor = m.group(4) == null ? "" : m.group(4).substring(1);
    String patch = m.group(5) == null ? "" : m.group(5).substring(1);
    String pre = m.group(6) == null ? "" : m.group(6);
    boolean dirty = false;
    boolean minorDirty = false;
    boolean patchDirty = false;
    String version;
    if (isX(major)) {
      version = "0.0.0" + pre;
      dirty = true;
    } else if (isX(minor) || minor.isEmpty()) {
      version = major + ".0.0" + pre;
      dirty = true;
      minorDirty = true;
    } else if (isX(patch) || patch.isEmpty()) {
      version = major + "." + minor + ".0" + pre;
      dirty = true;
      patchDirty = true;
    } else {
      version = major + "." + minor + "." + patch + pre;
    }
    if (!version.matches("[0-9]+\\.[0-9]+\\.[0-9]+.*")) {
      throw new IllegalArgumentException("improper constraint version: \"" + m.group(2) + "\"");
    }
    String canonical =
        switch (op) {
          case "=>" -> ">=";
          case "=<" -> "<=";
          case "~>" -> "~";
          default -> op;
        };
    return new Condition(canonical, ChartVersion.parse(version), dirty, minorDirty, patchDirty);
  }

  private static boolean isX(String s) {
    return s.equals("x") || s.equals("X") || s.equals("*");
  }

  /** Whether {@code v} satisfies the constraint. */
  public boolean test(ChartVersion v) {
    for (List<Condition> and : anyOf) {
      boolean all = true;
      for (Condition c : and) {
        if (!check(v, c)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** The highest of {@code versions} that satisfies the constraint. */
  public Optional<ChartVersion> highest(Collection<ChartVersion> versions) {
    ChartVersion best = null;
    for (ChartVersion v : versions) {
      if ((best == null || v.compareTo(best) > 0) && test(v)) {
        best = v;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean check(ChartVersion v, Condition c) {
    ChartVersion con = c.version();
    if (v.isPrerelease() && !con.isPrerelease()) {
      return false;
    }
    return switch (c.op()) {
      case "", "=" -> c.dirty() ? tilde(v, c) : v.sameAs(con);
      case "!=" -> notEqual(v, c);
      case ">" -> greater(v, c);
      case "<" -> v.compareTo(con) < 0;
      case ">=" -> v.compareTo(con) >= 0;
      case "<=" -> lessOrEqual(v, c);
      case "~" -> tilde(v, c);
      case "^" -> caret(v, c);
      default -> false;
    };
  }

  private static boolean notEqual(ChartVersion v, Condition c) {
    ChartVersion con = c.version();
    if (c.dirty()) {
      if (!con.major().equals(v.major())) {
        return true;
      }
      if (!con.minor().equals(v.minor()) && !c.minorDirty()) {
        return true;
      } else if (c.minorDirty()) {
        return false;
      } else if (!con.patch().equals(v.patch()) && !c.patchDirty()) {
        return true;
      } else if (c.patchDirty()) {
        if (v.isPrerelease() || con.isPrerelease()) {
          return ChartVersion.comparePre(v.pre(), con.pre()) != 0;
        }
        return false;
      }
    }
    return !v.sameAs(con);
  }

  private static boolean greater(ChartVersion v, Condition c) {
    ChartVersion con = c.version();
    if (!c.dirty()) {
      return v.compareTo(con) > 0;
    }
    int major = v.major().compareTo(con.major());
    if (major != 0) {
      return major > 0;
    }
    if (c.minorDirty()) {
      return false;
    }
    if (c.patchDirty()) {
      return v.minor().compareTo(con.minor()) > 0;
    }
    return v.compareTo(con) > 0;
  }

  private static boolean lessOrEqual(ChartVersion v, Condition c) {
    ChartVersion con = c.version();
    if (!c.dirty()) {
      return v.compareTo(con) <= 0;
    }
    int major = v.major().compareTo(con.major());
    if (major > 0) {
      return false;
    }
    return !(major == 0 && v.minor().compareTo(con.minor()) > 0 && !c.minorDirty());
  }

  private static boolean tilde(ChartVersion v, Condition c) {
    ChartVersion con = c.version();
    if (v.compareTo(con) < 0) {
      return false;
    }
    boolean zero =
        con.major().signum() == 0 && con.minor().signum() == 0 && con.patch().signum() == 0;
    if (zero && !c.minorDirty() && !c.patchDirty()) {
      return true;
    }
    if (!v.major().equals(con.major())) {
      return false;
    }
    return v.minor().equals(con.minor()) || c.minorDirty();
  }

  private static boolean caret(ChartVersion v, Condition c) {
    ChartVersion con = c.version();
    if (v.compareTo(con) < 0) {
      return false;
    }
    if (con.major().signum() > 0 || c.minorDirty()) {
      return v.major().equals(con.major());
    }
    if (v.major().signum() > 0) {
      return false;
    }
    if (con.minor().signum() > 0 || c.patchDirty()) {
      return v.minor().equals(con.minor());
    }
    if (v.minor().signum() > 0) {
      return false;
    }
    return con.patch().equals(v.patch());
  }

  @Override
  public String toString() {
    return text;
  }
}
