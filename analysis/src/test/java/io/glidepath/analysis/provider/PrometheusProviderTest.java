package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.MetricValue;
import java.net.URI;
import org.junit.jupiter.api.Test;

class PrometheusProviderTest {

  @Test
  void mapsEveryResultType() {
    assertThat(
            PrometheusProvider.parse(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0.5\"]}}",
                "p"))
        .isEqualTo(MetricValue.scalar(0.5));
    assertThat(
            PrometheusProvider.parse(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{},\"value\":[1,\"NaN\"]},{\"metric\":{},\"value\":[1,\"+Inf\"]}]}}",
                    "p")
                .toString())
        .isEqualTo("[NaN +Inf]");
    assertThat(
            PrometheusProvider.parse(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                    + "{\"metric\":{},\"values\":[[1,\"1\"],[2,\"2\"]]},{\"metric\":{},\"values\":[[1,\"-Inf\"]]}]}}",
                "p"))
        .isEqualTo(MetricValue.vector(1, 2, Double.NEGATIVE_INFINITY));
    assertThat(
            PrometheusProvider.parse(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                "p"))
        .isEqualTo(MetricValue.vector());
  }

  @Test
  void errorResponsesCarryPrometheusMessageAndStatus() {
    assertThatThrownBy(
            () ->
                PrometheusProvider.parse(
                    422,
                    "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}",
                    "p"))
        .isInstanceOfSatisfying(
            MetricProviderException.class, e -> assertThat(e.httpStatus()).hasValue(422))
        .hasMessage("prometheus: query failed (HTTP 422, execution): query timed out");
    assertThatThrownBy(() -> PrometheusProvider.parse(502, "<html>bad gateway</html>", "p"))
        .isInstanceOf(MetricProviderException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void credentialsNeverAppearInToString() {
    PrometheusProvider p =
        PrometheusProvider.newBuilder()
            .address(URI.create("http://user:pw@prom:9090/"))
            .bearerToken("s3cr3t")
            .build();
    assertThat(p.toString()).doesNotContain("s3cr3t").doesNotContain("pw");
  }
}
