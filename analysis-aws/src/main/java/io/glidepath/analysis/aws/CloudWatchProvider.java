package io.glidepath.analysis.aws;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.core.time.GoDuration;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import tools.jackson.databind.JsonNode;

/**
 * Queries Amazon CloudWatch with GetMetricData for Argo Rollouts' {@code cloudWatch} provider, on
 * the AWS SDK for Java v2.
 *
 * <p>Template settings: {@code interval} (default 5m: the window ends at the evaluation time) and
 * {@code metricDataQueries} (CloudWatch's {@code MetricDataQuery}: {@code id}, {@code expression},
 * {@code label}, {@code metricStat: {metric: {namespace, metricName, dimensions: [{name, value}]},
 * period, stat, unit}}, {@code period}, {@code returnData}).
 *
 * <p>The result is what Argo hands conditions: the list of {@code MetricDataResults}, each a map
 * with the SDK's field names {@code Id}, {@code Label}, {@code StatusCode}, {@code Timestamps} (RFC
 * 3339), {@code Values} and {@code Messages} ({@code [{Code, Value}]}), so that {@code
 * all(result[0].Values, {# <= 0.01})} works unchanged. AWS errors (throttling, access denied, no
 * credentials) make the measurement Error with AWS's message.
 *
 * <p>Credentials and region: the environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_REGION}, ...),
 * then the SDK's default chains. {@code AWS_ENDPOINT_URL_CLOUDWATCH} or {@code AWS_ENDPOINT_URL}
 * points it elsewhere (a VPC endpoint, a test server). Thread-safe; share one instance.
 */
public final class CloudWatchProvider implements MetricProvider {
  /** The provider type. */
  public static final String TYPE = "cloudWatch";

  private static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  private final Supplier<CloudWatchClient> client;

  private CloudWatchProvider(Supplier<CloudWatchClient> client) {
    this.client = client;
  }

  /** A provider on {@code client} (the caller owns and closes it). */
  public static CloudWatchProvider of(CloudWatchClient client) {
    Objects.requireNonNull(client, "client");
    return new CloudWatchProvider(() -> client);
  }

  /**
   * A provider whose client reads credentials, region and endpoint from {@code environment} first,
   * then the SDK's default chains; built on first use.
   */
  public static CloudWatchProvider fromEnvironment(Map<String, String> environment) {
    Map<String, String> env = Map.copyOf(environment);
    return new CloudWatchProvider(new Lazy(env));
  }

  private static final class Lazy implements Supplier<CloudWatchClient> {
    private final Map<String, String> env;
    private volatile CloudWatchClient client;

    Lazy(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public CloudWatchClient get() {
      CloudWatchClient c = client;
      if (c == null) {
        synchronized (this) {
          c = client;
          if (c == null) {
            Region region = AwsSettings.region(env, Optional.empty());
            var b =
                CloudWatchClient.builder()
                    .region(region)
                    .httpClient(AwsSettings.HTTP)
                    .credentialsProvider(
                        AwsSettings.credentials(env, Optional.empty(), Optional.empty(), region));
            String endpoint =
                env.getOrDefault(
                    "AWS_ENDPOINT_URL_CLOUDWATCH", env.getOrDefault("AWS_ENDPOINT_URL", ""));
            if (!endpoint.isEmpty()) {
              b.endpointOverride(URI.create(endpoint));
            }
            c = b.build();
            client = c;
          }
        }
      }
      return c;
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void validate(ProviderSpec spec) {
    CloudWatchQueries.validate(spec);
  }

  @Override
  public MetricValue measure(MeasurementRequest request) {
    JsonNode config = request.provider().config();
    Duration interval = DEFAULT_INTERVAL;
    String text = config.path("interval").asString("");
    if (!text.isBlank()) {
      try {
        interval = GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw new MetricProviderException(TYPE, "interval: " + e.getMessage(), e);
      }
    }
    List<MetricDataQuery> queries = CloudWatchQueries.of(config.path("metricDataQueries"));
    Instant end = request.evaluationTime();
    GetMetricDataRequest r =
        GetMetricDataRequest.builder()
            .startTime(end.minus(interval))
            .endTime(end)
            .metricDataQueries(queries)
            .build();
    GetMetricDataResponse response;
    try {
      response = client.get().getMetricData(r);
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      String message =
          e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
              ? e.getMessage()
              : e.awsErrorDetails().errorMessage();
      throw new MetricProviderException(
          TYPE,
          "GetMetricData failed (HTTP "
              + e.statusCode()
              + (code == null || code.isEmpty() ? "" : ", " + code)
              + "): "
              + message,
          e.statusCode(),
          e);
    } catch (SdkException e) {
      throw new MetricProviderException(TYPE, "GetMetricData failed: " + e.getMessage(), e);
    }
    return toValue(response.metricDataResults());
  }

  /** The results as Argo hands them to conditions (the SDK's field names). */
  static MetricValue toValue(List<MetricDataResult> results) {
    List<MetricValue> list = new ArrayList<>();
    for (MetricDataResult d : results) {
      Map<String, MetricValue> m = new LinkedHashMap<>();
      m.put("Id", text(d.id()));
      m.put("Label", text(d.label()));
      List<MetricValue> messages = new ArrayList<>();
      for (MessageData md : d.messages()) {
        Map<String, MetricValue> mm = new LinkedHashMap<>();
        mm.put("Code", text(md.code()));
        mm.put("Value", text(md.value()));
        messages.add(MetricValue.map(mm));
      }
      m.put("Messages", listOf(messages));
      m.put("StatusCode", text(d.statusCodeAsString()));
      List<MetricValue> times = new ArrayList<>();
      d.timestamps().forEach(t -> times.add(MetricValue.string(t.toString())));
      m.put("Timestamps", listOf(times));
      m.put("Values", MetricValue.vector(d.values()));
      list.add(MetricValue.map(m));
    }
    return listOf(list);
  }

  private static MetricValue text(String s) {
    return MetricValue.string(s == null ? "" : s);
  }

  private static MetricValue listOf(List<MetricValue> values) {
    return MetricValue.list(values);
  }

  @Override
  public String toString() {
    return "CloudWatchProvider";
  }
}
