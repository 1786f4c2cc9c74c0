package io.glidepath.core.internal.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
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
  @Property(tries = 2000)
  void sameAmountAgreesWithParsedDecimals(
      @ForAll("quantities") String a, @ForAll("quantities") String b) {
    Optional<BigDecimal> da = Quantities.parse(a);
    Optional<BigDecimal> db = Quantities.parse(b);
    boolean expected = da.isPresent() && db.isPresent() && da.get().compareTo(db.get()) == 0;
    assertThat(Quantities.sameAmount(s(a), s(b))).as("%s vs %s", a, b).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> quantities() {
    Arbitrary<String> sign = Arbitraries.of("", "", "-", "+");
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.of("0", "1", "2", "5", "10", "100", "1000", "1024", "0.5", "1.5", ".25"),
            Arbitraries.longs().between(0, 2_000_000_000_000L).map(String::valueOf),
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(22),
            Combinators.combine(
                    Arbitraries.integers().between(0, 99999),
                    Arbitraries.integers().between(0, 999))
                .as((i, f) -> i + "." + f));
    Arbitrary<String> suffix =
        Arbitraries.of(
            "", "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
            "e3", "e-2", "x", "mm");
    return Combinators.combine(sign, number, suffix).as((s, n, x) -> s + n + x);
  }

  private static JsonNode s(String text) {
    return StringNode.valueOf(text);
  }
}
