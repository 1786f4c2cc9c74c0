package io.glidepath.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The YAML 1.1 scalar table as kubectl reads it (go-yaml v2 through sigs.k8s.io/yaml). The expected
 * column is the JSON kubectl sends to the API server for {@code value: <scalar>}.
 */
class YamlScalarTest {

  private static JsonNode valueOf(String scalar) {
    return Yaml.readTree("value: " + scalar + "\n", "test.yaml").get("value");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "yes|true",
        "Yes|true",
        "YES|true",
        "y|true",
        "Y|true",
        "on|true",
        "On|true",
        "ON|true",
        "true|true",
        "True|true",
        "TRUE|true",
        "no|false",
        "No|false",
        "NO|false",
        "n|false",
        "N|false",
        "off|false",
        "Off|false",
        "OFF|false",
        "false|false",
        "False|false",
        "FALSE|false",
        "~|null",
        "null|null",
        "Null|null",
        "NULL|null",
        "0644|420",
        "0o17|15",
        "0x1F|31",
        "0X1f|31",
        "-0x1F|-31",
        "0b101|5",
        "1_000|1000",
        "+12|12",
        "-12|-12",
        "0|0",
        "08|8.0",
        "1e3|1000.0",
        "1.5|1.5",
        ".5|0.5",
        "-1.25e-2|-0.0125",
        "9223372036854775807|9223372036854775807",
        "18446744073709551615|18446744073709551615",
      })
  void readsPlainScalarsAsKubectlDoes(String scalar, String expectedJson) {
    assertThat(valueOf(scalar)).isEqualTo(Yaml.mapper().readTree(expectedJson));
  }

  @ParameterizedTest(name = "{0} stays a string")
  @CsvSource(
      delimiter = '|',
      value = {
        "yess",
        "ja",
        "tRUE",
        "nULL",
        "0x",
        "1.2.3",
        "2026-11-25",
        "2026-11-25T10:00:00Z",
        "1:20",
        "abc123",
        "v1.2",
        ".",
        "0644abc",
        // Go parses ASCII digits only: other scripts' digits and fullwidth forms are text
        "1\u0660",
        "0\u0660",
        "\u0661\u0662",
        "\uff11\uff12",
        "0x\uff21",
        "-\u0663",
      })
  void keepsEverythingElseAString(String scalar) {
    assertThat(valueOf(scalar).isString()).isTrue();
    assertThat(valueOf(scalar).stringValue()).isEqualTo(scalar);
  }

  @Test
  void refusesInfinityAndNaNAsKubectlDoes() {
    // YAML 1.1 reads them as floats, but kubectl and Helm then fail converting to JSON
    for (String scalar : new String[] {".inf", "-.Inf", "+.INF", ".NaN", "!!float .nan"}) {
      assertThatThrownBy(() -> valueOf(scalar))
          .isInstanceOf(YamlException.class)
          .hasMessageContaining("test.yaml:1:8")
          .hasMessageContaining("JSON cannot hold");
    }
    assertThat(valueOf("'.inf'").stringValue()).isEqualTo(".inf");
  }

  @Test
  void keepsQuotedScalarsStrings() {
    assertThat(valueOf("\"yes\"").stringValue()).isEqualTo("yes");
    assertThat(valueOf("'0644'").stringValue()).isEqualTo("0644");
    assertThat(valueOf("\"\"").stringValue()).isEmpty();
  }

  @Test
  void readsAnEmptyValueAsNull() {
    assertThat(Yaml.readTree("value:\n", "t.yaml").get("value").isNull()).isTrue();
  }

  @Test
  void honoursExplicitTags() {
    assertThat(valueOf("!!str 0644").stringValue()).isEqualTo("0644");
    assertThat(valueOf("!!int \"0644\"").intValue()).isEqualTo(420);
    assertThat(valueOf("!!float 1").doubleValue()).isEqualTo(1.0);
    assertThat(valueOf("!!bool \"yes\"").booleanValue()).isTrue();
    assertThatThrownBy(() -> valueOf("!!int abc"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("test.yaml:1:8")
        .hasMessageContaining("!!int");
  }

  @Test
  void turnsNonStringKeysIntoStringsAsSigsYamlDoes() {
    JsonNode tree = Yaml.readTree("yes: a\n1: b\n0x10: c\n", "k.yaml");
    assertThat(tree.propertyNames()).containsExactly("true", "1", "16");
  }

  @Test
  void readsTheSameNodeTypesAsJacksonReadsFromJson() {
    JsonNode fromYaml = Yaml.readTree("a: 1\nb: 5000000000\nc: 1.5\nd: [x, true]\n", "t.yaml");
    JsonNode fromJson =
        Yaml.mapper().readTree("{\"a\":1,\"b\":5000000000,\"c\":1.5,\"d\":[\"x\",true]}");
    assertThat(fromYaml).isEqualTo(fromJson);
  }
}
