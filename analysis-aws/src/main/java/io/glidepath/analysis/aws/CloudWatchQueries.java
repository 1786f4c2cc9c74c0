package io.glidepath.analysis.aws;

import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.ProviderOptions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import tools.jackson.databind.JsonNode;

/** A template's {@code metricDataQueries}: checked at load, turned into SDK queries to run. */
final class CloudWatchQueries {
  private CloudWatchQueries() {}

  static void validate(ProviderSpec spec) {
    ProviderOptions o = ProviderOptions.of(spec).allow("interval", "metricDataQueries");
    o.duration("interval");
    List<ProviderOptions> queries = o.list("metricDataQueries");
    if (queries.isEmpty()) {
      throw o.error("metricDataQueries", "must list at least one query");
    }
    for (ProviderOptions q : queries) {
      q.allow("id", "expression", "label", "metricStat", "period", "returnData").required("id");
      q.integer("period", 1).bool("returnData");
      if (!q.has("expression") && !q.has("metricStat")) {
        throw q.error("", "needs expression or metricStat");
      }
      if (q.has("metricStat")) {
        ProviderOptions stat = q.object("metricStat").allow("metric", "period", "stat", "unit");
        stat.required("stat");
        stat.integer("period", 1);
        ProviderOptions metric =
            stat.object("metric").allow("namespace", "metricName", "dimensions");
        metric.required("metricName");
        for (ProviderOptions d : metric.list("dimensions")) {
          d.allow("name", "value").required("name");
        }
      }
    }
  }

  static List<MetricDataQuery> of(JsonNode list) {
    List<MetricDataQuery> out = new ArrayList<>();
    if (!list.isArray() || list.isEmpty()) {
      throw new MetricProviderException(
          CloudWatchProvider.TYPE, "metricDataQueries must list at least one query");
    }
    for (JsonNode q : list.values()) {
      MetricDataQuery.Builder b = MetricDataQuery.builder().id(q.path("id").asString(""));
      if (q.hasNonNull("expression")) {
        b.expression(q.get("expression").asString());
      }
      if (q.hasNonNull("label")) {
        b.label(q.get("label").asString());
      }
      if (q.hasNonNull("period")) {
        b.period(integer(q.get("period"), "period"));
      }
      if (q.hasNonNull("returnData")) {
        b.returnData(q.get("returnData").asBoolean());
      }
      JsonNode stat = q.path("metricStat");
      if (stat.isObject()) {
        JsonNode m = stat.path("metric");
        Metric.Builder metric = Metric.builder().metricName(m.path("metricName").asString(""));
        if (m.hasNonNull("namespace")) {
          metric.namespace(m.get("namespace").asString());
        }
        List<Dimension> dims = new ArrayList<>();
        for (JsonNode d : m.path("dimensions").values()) {
          dims.add(
              Dimension.builder()
                  .name(d.path("name").asString(""))
                  .value(d.path("value").asString(""))
                  .build());
        }
        if (!dims.isEmpty()) {
          metric.dimensions(dims);
        }
        MetricStat.Builder s =
            MetricStat.builder().metric(metric.build()).stat(stat.path("stat").asString(""));
        if (stat.hasNonNull("period")) {
          s.period(integer(stat.get("period"), "metricStat.period"));
        }
        if (stat.hasNonNull("unit")) {
          s.unit(stat.get("unit").asString());
        }
        b.metricStat(s.build());
      }
      out.add(b.build());
    }
    return out;
  }

  private static int integer(JsonNode n, String field) {
    if (n.isIntegralNumber()) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(n.asString("").trim());
    } catch (NumberFormatException e) {
      throw new MetricProviderException(
          CloudWatchProvider.TYPE, field + " must be an integer, but was " + n);
    }
  }
}
