package io.glidepath.analysis.judge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The two-sided Mann-Whitney U test (Wilcoxon rank-sum) and the Hodges-Lehmann shift estimate, as
 * R's {@code wilcox.test(x, y)} computes them.
 *
 * <p>The p-value is exact (the null distribution of U counted exactly) when both samples have fewer
 * than {@value #EXACT_LIMIT} values and there are no ties; otherwise it uses the normal
 * approximation with tie correction and continuity correction. For R's example {@code x = 0.80,
 * 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46}, {@code y = 1.15, 0.88, 0.90, 0.74, 1.21}:
 * U = 35, two-sided p = 0.2544, shift 0.305.
 *
 * <p>Stateless and thread-safe.
 */
public final class MannWhitney {
  /** Samples at least this large use the normal approximation. */
  public static final int EXACT_LIMIT = 50;

  private MannWhitney() {}

  /**
   * The outcome of a test of {@code x} against {@code y}.
   *
   * @param u U for {@code x}: the number of pairs with x &gt; y, ties counting one half
   * @param pValue the two-sided p-value
   * @param exact true if the p-value is exact, false if from the normal approximation
   * @param shift the Hodges-Lehmann estimate of the location shift of x relative to y (the median
   *     of all differences x_i - y_j)
   */
  public record Result(double u, double pValue, boolean exact, double shift) {}

  /**
   * Tests {@code x} against {@code y}; neither may be empty or contain NaN.
   *
   * @throws IllegalArgumentException for an empty sample or a NaN
   */
  public static Result test(double[] x, double[] y) {
    check(x, "x");
    check(y, "y");
    int n1 = x.length;
    int n2 = y.length;
    double[] all = new double[n1 + n2];
    System.arraycopy(x, 0, all, 0, n1);
    System.arraycopy(y, 0, all, n1, n2);
    double[] ranks = ranks(all);
    double rankSumX = 0;
    for (int i = 0; i < n1; i++) {
      rankSumX += ranks[i];
    }
    double u = rankSumX - n1 * (n1 + 1) / 2.0;
    double tieTerm = tieTerm(all);
    double shift = hodgesLehmann(x, y);
    if (n1 < EXACT_LIMIT && n2 < EXACT_LIMIT && tieTerm == 0) {
      return new Result(u, exactPValue((int) Math.round(u), n1, n2), true, shift);
    }
    double n = n1 + n2;
    double mean = n1 * (double) n2 / 2;
    double variance = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
    if (variance <= 0) {
      return new Result(u, 1.0, false, shift);
    }
    double diff = u - mean;
    double correction = Math.signum(diff) * 0.5;
    double z = (diff - correction) / Math.sqrt(variance);
    double p = 2 * Math.min(normalCdf(z), 1 - normalCdf(z));
    return new Result(u, Math.min(1, p), false, shift);
  }

  /** The median of all pairwise differences {@code x_i - y_j}. */
  public static double hodgesLehmann(double[] x, double[] y) {
    check(x, "x");
    check(y, "y");
    double[] d = new double[x.length * y.length];
    int k = 0;
    for (double a : x) {
      for (double b : y) {
        d[k++] = a - b;
      }
    }
    Arrays.sort(d);
    int m = d.length;
    return m % 2 == 1 ? d[m / 2] : (d[m / 2 - 1] + d[m / 2]) / 2;
  }

  private static void check(double[] s, String name) {
    if (s.length == 0) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    for (double v : s) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException(name + " must not contain NaN");
      }
    }
  }

  /** Mid-ranks (1-based) of {@code values}. */
  static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] ranks = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double mid = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = mid;
      }
      i = j + 1;
    }
    return ranks;
  }

  /** Sum of t^3 - t over groups of tied values. */
  private static double tieTerm(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
        j++;
      }
      double t = j - i + 1;
      sum += t * t * t - t;
      i = j + 1;
    }
    return sum;
  }

  /**
   * Exact two-sided p-value: the null distribution of U is given by the coefficients of the
   * Gaussian binomial [n1+n2 choose n1]_q, built by multiplying (1 - q^(n2+i)) / (1 - q^i).
   */
  static double exactPValue(int u, int n1, int n2) {
    int max = n1 * n2;
    BigInteger[] c = new BigInteger[max + 1];
    Arrays.fill(c, BigInteger.ZERO);
    c[0] = BigInteger.ONE;
    for (int i = 1; i <= n1; i++) {
      int up = n2 + i;
      for (int k = max; k >= up; k--) {
        c[k] = c[k].subtract(c[k - up]);
      }
      for (int k = i; k <= max; k++) {
        c[k] = c[k].add(c[k - i]);
      }
    }
    BigInteger total = BigInteger.ZERO;
    BigInteger lower = BigInteger.ZERO;
    BigInteger upper = BigInteger.ZERO;
    for (int k = 0; k <= max; k++) {
      total = total.add(c[k]);
      if (k <= u) {
        lower = lower.add(c[k]);
      }
      if (k >= u) {
        upper = upper.add(c[k]);
      }
    }
    BigInteger tail = lower.min(upper).shiftLeft(1);
    double p =
        new BigDecimal(tail).divide(new BigDecimal(total), MathContext.DECIMAL64).doubleValue();
    return Math.min(1, p);
  }

  /** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
  static double normalCdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
