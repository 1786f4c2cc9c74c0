package io.glidepath.analysis.aws;

import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.analysis.provider.Sigv4Signer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * Signs requests with the AWS SDK for Java v2's SigV4 signer ({@code AwsV4HttpSigner}), for the
 * Prometheus provider's {@code authentication.sigv4} (Amazon Managed Service for Prometheus).
 *
 * <p>Published through {@link java.util.ServiceLoader}: with this module on the class path {@link
 * PrometheusProvider} finds it. Credentials: the template's {@code profile}, else the environment's
 * keys or {@code AWS_PROFILE}, else the SDK's default chain (environment, profile, web identity,
 * container or instance role); {@code roleArn} is assumed through STS first. Region: the template's
 * {@code region}, else {@code AWS_REGION}, else the SDK's region chain.
 *
 * <p>Thread-safe. Credentials never appear in messages.
 */
public final class AwsSigv4Signer implements Sigv4Signer {
  private final Map<String, String> environment;

  /** A signer on the process environment and the SDK's default chains. */
  public AwsSigv4Signer() {
    this(System.getenv());
  }

  private AwsSigv4Signer(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Sigv4Signer withEnvironment(Map<String, String> env) {
    return new AwsSigv4Signer(Objects.requireNonNull(env, "env"));
  }

  @Override
  public Map<String, String> sign(Request request) {
    try {
      Region region = AwsSettings.region(environment, request.region());
      AwsCredentialsIdentity credentials =
          AwsSettings.credentials(environment, request.profile(), request.roleArn(), region)
              .resolveCredentials();
      SdkHttpFullRequest.Builder http =
          SdkHttpFullRequest.builder()
              .method(SdkHttpMethod.fromValue(request.method()))
              .uri(request.uri());
      request.headers().forEach(http::putHeader);
      byte[] body = request.body();
      SignedRequest signed =
          AwsV4HttpSigner.create()
              .sign(
                  r ->
                      r.identity(credentials)
                          .request(http.build())
                          .payload(ContentStreamProvider.fromByteArray(body))
                          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, request.service())
                          .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
      Map<String, String> added = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
        String name = h.getKey();
        if (name.equalsIgnoreCase("Host") || request.headers().containsKey(name)) {
          continue;
        }
        added.put(name, String.join(",", h.getValue()));
      }
      return added;
    } catch (SdkException e) {
      throw new MetricProviderException(
          PrometheusProvider.TYPE, "SigV4 signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "AwsSigv4Signer";
  }
}
