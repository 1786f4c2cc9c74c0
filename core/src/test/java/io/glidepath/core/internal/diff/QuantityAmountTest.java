package io.glidepath.core.internal.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

class QuantityAmountTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void equalAmountsInDifferentSpellingsAreTheSame() {
    assertThat(Quantities.sameAmount(s("1000m"), s("1"))).isTrue();
    assertThat(Quantities.sameAmount(s("1Gi"), s("1024Mi"))).isTrue();
    assertThat(Quantities.sameAmount(s("0.5"), s("500m"))).isTrue();
    assertThat(Quantities.sameAmount(F.numberNode(2), s("2000m"))).isTrue();
    assertThat(Quantities.sameAmount(s("1e3"), s("1k"))).isTrue();
    assertThat(Quantities.sameAmount(s("8Ei"), s("8192Pi"))).isTrue();
  }

  @Test
  void differentAmountsOrNonQuantitiesAreNotTheSame() {
    assertThat(Quantities.sameAmount(s("1001m"), s("1"))).isFalse();
    assertThat(Quantities.sameAmount(s("1Gi"), s("1G"))).isFalse();
    assertThat(Quantities.sameAmount(s("1n"), s("0.1n"))).isFalse();
    assertThat(Quantities.sameAmount(s("abc"), s("abc"))).isFalse();
    assertThat(Quantities.sameAmount(s("1mm"), s("1mm"))).isFalse();
  }

  /** The allocation-free comparison decides exactly as comparing the parsed decimals. */
  @Test
  void sameAmountAgreesWithParsedDecimals() {
    qt().withExamples(2000)
        .forAll(quantities(), quantities())
        .checkAssert(QuantityAmountTest::agreesWithParsedDecimals);
  }

  private static void agreesWithParsedDecimals(String a, String b) {
    Optional<BigDecimal> da = Quantities.parse(a);
    Optional<BigDecimal> db = Quantities.parse(b);
    boolean expected = da.isPresent() && db.isPresent() && da.get().compareTo(db.get()) == 0;
    assertThat(Quantities.sameAmount(s(a), s(b))).as("%s vs %s", a, b).isEqualTo(expected);
  }

  static Gen<String> quantities() {
    Gen<String> sign = arbitrary().pick("", "", "-", "+");
    Gen<String> number =
        Generate.oneOf(
            arbitrary().pick("0", "1", "2", "5", "10", "100", "1000", "1024", "0.5", "1.5", ".25"),
            longs().between(0, 2_000_000_000_000L).map(l -> String.valueOf(l)),
            // digit strings of 1 to 22 digits, leading zeros included
            strings().betweenCodePoints('0', '9').ofLengthBetween(1, 22),
            integers().between(0, 99999).zip(integers().between(0, 999), (i, f) -> i + "." + f));
    Gen<String> suffix =
        arbitrary()
            .pick(
                "", "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi",
                "Ei", "e3", "e-2", "x", "mm");
    return sign.zip(number, suffix, (s, n, x) -> s + n + x);
  }

  private static JsonNode s(String text) {
    return StringNode.valueOf(text);
  }
}
