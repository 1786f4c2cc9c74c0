package io.glidepath.helm.repo;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart version as Helm reads it (SemVer 2, leniently: an optional {@code v}, and a missing minor
 * or patch counts as 0). Ordered by SemVer precedence: build metadata is ignored, a pre-release
 * comes before its release.
 *
 * <pre>{@code
 * ChartVersion.parse("4.11.2").compareTo(ChartVersion.parse("4.11.2-rc.1")); // > 0
 * }</pre>
 *
 * @param text the version as written
 */
public record ChartVersion(
    String text, BigInteger major, BigInteger minor, BigInteger patch, String pre, String meta)
    implements Comparable<ChartVersion> {
  private static final Pattern LENIENT =
      Pattern.compile(
          "v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?"
              + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
              + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  private static final Pattern STRICT =
      Pattern.compile(
          "v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
              + "(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?"
              + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

  public ChartVersion {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(major, "major");
    Objects.requireNonNull(minor, "minor");
    Objects.requireNonNull(patch, "patch");
    Objects.requireNonNull(pre, "pre");
    Objects.requireNonNull(meta, "meta");
  }

  /** The version {@code text} names, if it is one (Helm's lenient reading). */
  public static Optional<ChartVersion> tryParse(String text) {
    if (text == null || text.length() > 256) {
      return Optional.empty();
    }
    Matcher m = LENIENT.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new ChartVersion(
            text.strip(),
            new BigInteger(m.group(1)),
            m.group(2) == null ? BigInteger.ZERO : new BigInteger(m.group(2).substring(1)),
            m.group(3) == null ? BigInteger.ZERO : new BigInteger(m.group(3).substring(1)),
            m.group(4) == null ? "" : m.group(4),
            m.group(5) == null ? "" : m.group(5)));
  }

  /**
   * The version {@code text} names.
   *
   * @throws IllegalArgumentException when it is not a version
   */
  public static ChartVersion parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () -> new IllegalArgumentException("not a semantic version: \"" + text + "\""));
  }

  /** Whether {@code text} is one exact, complete version ({@code 1.2.3}, {@code v1.2.3-rc.1}). */
  public static boolean isExact(String text) {
    return text != null && STRICT.matcher(text.strip()).matches();
  }

  /** Whether this is a pre-release ({@code 1.0.0-rc.1}). */
  public boolean isPrerelease() {
    return !pre.isEmpty();
  }

  @Override
  public int compareTo(ChartVersion o) {
    int c = major.compareTo(o.major);
    if (c == 0) {
      c = minor.compareTo(o.minor);
    }
    if (c == 0) {
      c = patch.compareTo(o.patch);
    }
    if (c == 0) {
      c = comparePre(pre, o.pre);
    }
    return c;
  }

  /** Equal by precedence (build metadata and a leading {@code v} ignored). */
  public boolean sameAs(ChartVersion o) {
    return compareTo(o) == 0;
  }

  static int comparePre(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty()) {
      return 1;
    }
    if (b.isEmpty()) {
      return -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].chars().allMatch(Character::isDigit);
      boolean yn = y[i].chars().allMatch(Character::isDigit);
      int c;
      if (xn && yn) {
        c = new BigInteger(x[i]).compareTo(new BigInteger(y[i]));
      } else if (xn) {
        c = -1;
      } else if (yn) {
        c = 1;
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public String toString() {
    return text;
  }
}
