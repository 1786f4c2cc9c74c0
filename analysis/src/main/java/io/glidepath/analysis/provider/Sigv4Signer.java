package io.glidepath.analysis.provider;

import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Signs HTTP requests with AWS Signature Version 4, for the Prometheus provider's {@code
 * authentication.sigv4} (Amazon Managed Service for Prometheus).
 *
 * <p>The analysis module has no AWS code: {@code glidepath-analysis-aws} publishes an
 * implementation on the AWS SDK for Java v2 (its signer and default credential chain) through
 * {@link ServiceLoader}, and {@link #discover()} finds it. Without that module a template asking
 * for SigV4 fails its measurements with a message saying so.
 *
 * <p>Implementations must be thread-safe and never put credentials in messages.
 */
public interface Sigv4Signer {
  /**
   * What to sign.
   *
   * @param method the HTTP method
   * @param uri the full request URI (its host and port are signed as {@code host})
   * @param headers the headers the request will carry (besides {@code Host} and {@code
   *     Content-Length}, which the HTTP client sets)
   * @param body the request body, empty for none
   * @param service the AWS service name, e.g. {@code aps}
   * @param region the region, or empty for the default region chain
   * @param profile a named profile of the shared credentials files, or empty for the default chain
   * @param roleArn a role to assume with STS first, or empty
   */
  record Request(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      String service,
      Optional<String> region,
      Optional<String> profile,
      Optional<String> roleArn) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      headers = Map.copyOf(headers);
      body = body.clone();
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(roleArn, "roleArn");
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /**
   * The headers to add to the request: {@code Authorization}, {@code X-Amz-Date}, and {@code
   * X-Amz-Security-Token} / {@code x-amz-content-sha256} where the signer uses them.
   *
   * @throws MetricProviderException if no credentials or region can be found
   */
  Map<String, String> sign(Request request);

  /**
   * This signer reading credentials and region from {@code environment} ({@code AWS_ACCESS_KEY_ID},
   * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_PROFILE}, {@code
   * AWS_REGION}) before its default chain; the provider factories pass the {@link
   * ProviderContext}'s. The default ignores it.
   */
  default Sigv4Signer withEnvironment(Map<String, String> environment) {
    return this;
  }

  /** The first signer published through {@link ServiceLoader}, if any. */
  static Optional<Sigv4Signer> discover() {
    Iterator<Sigv4Signer> it = ServiceLoader.load(Sigv4Signer.class).iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }
}
