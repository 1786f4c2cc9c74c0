package io.glidepath.core.internal.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
  private static BigDecimal q(String s) {
    return Quantities.parse(s).orElseThrow();
  }

  @Test
  void parsesDecimalBinaryAndExponentForms() {
    assertThat(q("1000m")).isEqualByComparingTo("1");
    assertThat(q("1Gi")).isEqualByComparingTo(q("1024Mi"));
    assertThat(q("1.5")).isEqualByComparingTo("1.5");
    assertThat(q("1e3")).isEqualByComparingTo("1000");
    assertThat(q("2k")).isEqualByComparingTo("2000");
    assertThat(q("500u")).isEqualByComparingTo("0.0005");
    assertThat(q("+.5")).isEqualByComparingTo("0.5");
  }

  @Test
  void rejectsWhatIsNotAQuantity() {
    assertThat(Quantities.parse("1.5.3")).isEmpty();
    assertThat(Quantities.parse("abc")).isEmpty();
    assertThat(Quantities.parse("1mm")).isEmpty();
    assertThat(Quantities.parse("1e")).isEmpty();
    assertThat(Quantities.parse("")).isEmpty();
    assertThat(Quantities.parse("60%")).isEmpty();
  }
}
