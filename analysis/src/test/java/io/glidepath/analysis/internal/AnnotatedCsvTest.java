package io.glidepath.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotatedCsvTest {
  @Test
  void readsEveryTableWithItsOwnHeaderAndQuotedFields() {
    String csv =
        "#datatype,string,long,double,string\r\n"
            + "#group,false,false,false,true\r\n"
            + "#default,_result,,,\r\n"
            + ",result,table,_value,host\r\n"
            + ",,0,0.5,\"a, \"\"quoted\"\" host\"\r\n"
            + "\r\n"
            + "#datatype,string,long,boolean\r\n"
            + "#group,false,false,false\r\n"
            + "#default,_result,,\r\n"
            + ",result,table,_value\r\n"
            + ",,1,true\r\n"
            + "\r\n";
    List<AnnotatedCsv.Row> rows = AnnotatedCsv.read(csv);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("_value")).isEqualTo("0.5");
    assertThat(rows.get(0).type("_value")).isEqualTo("double");
    assertThat(rows.get(0).get("host")).isEqualTo("a, \"quoted\" host");
    assertThat(rows.get(1).get("_value")).isEqualTo("true");
    assertThat(rows.get(1).type("_value")).isEqualTo("boolean");
  }

  @Test
  void anErrorTableIsARowWithAnErrorColumn() {
    String csv =
        "#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n"
            + ",\"compilation failed: bucket not found\",897\r\n";
    AnnotatedCsv.Row row = AnnotatedCsv.read(csv).get(0);
    assertThat(row.get("error")).isEqualTo("compilation failed: bucket not found");
    assertThat(row.get("_value")).isNull();
  }

  @Test
  void goQueriesAreSortedAndEscapedLikeGo() {
    assertThat(
            GoQuery.encode(
                GoQuery.parse("target=sumSeries(a.*.b)&from=-5min&format=json&x=%7Bq%7D")))
        .isEqualTo("format=json&from=-5min&target=sumSeries%28a.%2A.b%29&x=%7Bq%7D");
    assertThat(GoQuery.escape("a b~'")).isEqualTo("a+b~%27");
  }
}
