package io.glidepath.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class MannWhitneyTest {

  @Test
  void matchesRsWilcoxTestExample() {
    // R: x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
    //    y <- c(1.15, 0.88, 0.90, 0.74, 1.21); wilcox.test(x, y, alternative = "g")
    //    W = 35, p-value = 0.1272 (one-sided), so two-sided 0.2544; shift 0.305
    double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
    MannWhitney.Result r = MannWhitney.test(x, y);
    assertThat(r.u()).isEqualTo(35.0);
    assertThat(r.exact()).isTrue();
    assertThat(r.pValue()).isCloseTo(0.2544122544, within(1e-9));
    assertThat(r.shift()).isCloseTo(0.305, within(1e-12));
  }

  @Test
  void tiesUseTheCorrectedNormalApproximation() {
    // computed independently (Python statistics.NormalDist, R's formula with tie and continuity
    // correction): U = 14, p = 0.037140126
    double[] x = {1, 2, 2, 3, 4, 5, 5, 6};
    double[] y = {3, 4, 4, 5, 6, 7, 7, 8, 9};
    MannWhitney.Result r = MannWhitney.test(x, y);
    assertThat(r.exact()).isFalse();
    assertThat(r.u()).isEqualTo(14.0);
    assertThat(r.pValue()).isCloseTo(0.0371401262, within(1e-6));
    assertThat(r.shift()).isEqualTo(-2.0);
  }

  /** The exact p-value equals the one found by enumerating every assignment of ranks. */
  /** One to seven distinct values between {@code min} and {@code max}. */
  static Gen<List<Integer>> distinct(int min, int max) {
    return lists()
        .of(integers().between(min, max))
        .ofSizeBetween(1, 7)
        .map(l -> l.stream().distinct().toList());
  }

  @Test
  void exactPValueMatchesBruteForceEnumeration() {
    qt().withExamples(60)
        .forAll(distinct(0, 40), distinct(41, 80), integers().between(0, 30))
        .checkAssert(MannWhitneyTest::exactPValueMatchesBruteForce);
  }

  private static void exactPValueMatchesBruteForce(
      List<Integer> xs, List<Integer> ys, int shuffle) {
    double[] x = xs.stream().mapToDouble(i -> (i * 7 + shuffle) % 81).toArray();
    double[] y = ys.stream().mapToDouble(i -> (i * 7 + shuffle) % 81).toArray();
    double[] all = new double[x.length + y.length];
    System.arraycopy(x, 0, all, 0, x.length);
    System.arraycopy(y, 0, all, x.length, y.length);
    if (Arrays.stream(all).distinct().count() != all.length) {
      return; // ties take the approximation; covered elsewhere
    }
    MannWhitney.Result r = MannWhitney.test(x, y);
    assertThat(r.pValue()).isCloseTo(bruteForce((int) r.u(), x.length, y.length), within(1e-12));
  }

  private static double bruteForce(int u, int n1, int n2) {
    int n = n1 + n2;
    long lower = 0;
    long upper = 0;
    long total = 0;
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) != n1) {
        continue;
      }
      int rankSum = 0;
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0) {
          rankSum += i + 1;
        }
      }
      int uu = rankSum - n1 * (n1 + 1) / 2;
      total++;
      if (uu <= u) {
        lower++;
      }
      if (uu >= u) {
        upper++;
      }
    }
    return Math.min(1.0, 2.0 * Math.min(lower, upper) / total);
  }

  @Test
  void hodgesLehmannRecoversAConstantShift() {
    qt().withExamples(100)
        .forAll(
            lists().of(integers().between(-1000, 1000)).ofSizeBetween(1, 20),
            integers().between(-50, 50))
        .checkAssert(MannWhitneyTest::recoversTheShift);
  }

  private static void recoversTheShift(List<Integer> base, int shift) {
    double[] y = base.stream().mapToDouble(Integer::doubleValue).toArray();
    double[] x = Arrays.stream(y).map(v -> v + shift).toArray();
    // a sample shifted against itself: the median of x_i - y_j is the shift when y is symmetric
    // around its median; for any y it is the shift of x against x - shift
    assertThat(MannWhitney.hodgesLehmann(x, y))
        .isCloseTo(MannWhitney.hodgesLehmann(y, y) + shift, within(1e-9));
  }

  @Test
  void emptyOrNanSamplesAreRejected() {
    assertThatThrownBy(() -> MannWhitney.test(new double[0], new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x must not be empty");
    assertThatThrownBy(() -> MannWhitney.test(new double[] {1}, new double[] {Double.NaN}))
        .hasMessage("y must not contain NaN");
  }

  @Test
  void identicalSamplesAreNotDifferent() {
    double[] a = {1, 1, 1, 1};
    MannWhitney.Result r = MannWhitney.test(a, a);
    assertThat(r.pValue()).isEqualTo(1.0);
    assertThat(r.shift()).isZero();
  }
}
