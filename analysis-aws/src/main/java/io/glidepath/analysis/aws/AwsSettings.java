package io.glidepath.analysis.aws;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Credentials and region the way the AWS SDK finds them, with an environment map consulted first
 * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, {@code
 * AWS_PROFILE}, {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}), then the SDK's default chains
 * (system properties, environment, profile files, web identity, container and instance roles).
 */
final class AwsSettings {
  private AwsSettings() {}

  /** One shared JDK-based HTTP client for SDK clients. */
  static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();

  static AwsCredentialsProvider credentials(
      Map<String, String> env, Optional<String> profile, Optional<String> roleArn, Region region) {
    AwsCredentialsProvider base;
    String id = env.getOrDefault("AWS_ACCESS_KEY_ID", "");
    String secret = env.getOrDefault("AWS_SECRET_ACCESS_KEY", "");
    String token = env.getOrDefault("AWS_SESSION_TOKEN", "");
    if (profile.isPresent()) {
      base = ProfileCredentialsProvider.create(profile.get());
    } else if (!id.isEmpty() && !secret.isEmpty()) {
      base =
          StaticCredentialsProvider.create(
              token.isEmpty()
                  ? AwsBasicCredentials.create(id, secret)
                  : AwsSessionCredentials.create(id, secret, token));
    } else if (!env.getOrDefault("AWS_PROFILE", "").isEmpty()) {
      base = ProfileCredentialsProvider.create(env.get("AWS_PROFILE"));
    } else {
      base = DefaultCredentialsProvider.builder().build();
    }
    if (roleArn.isEmpty()) {
      return base;
    }
    StsClient sts =
        StsClient.builder().region(region).credentialsProvider(base).httpClient(HTTP).build();
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(
            AssumeRoleRequest.builder().roleArn(roleArn.get()).roleSessionName("glidepath").build())
        .build();
  }

  static Region region(Map<String, String> env, Optional<String> explicit) {
    if (explicit.isPresent()) {
      return Region.of(explicit.get());
    }
    for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = env.getOrDefault(name, "");
      if (!v.isEmpty()) {
        return Region.of(v);
      }
    }
    return new DefaultAwsRegionProviderChain().getRegion();
  }
}
