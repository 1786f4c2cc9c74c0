package io.glidepath.testkit.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way AWS does: the credential
 * scope (access key, date, region, service), the signed headers (which must include {@code host}
 * and {@code x-amz-date}), and the signature itself, recomputed from the canonical request with the
 * known secret key. Written from AWS's published algorithm, independently of the SDK that signs, so
 * a test catches a request signed for the wrong host, region or service.
 *
 * <p>Example: {@code Sigv4Verifier.of("AKIDEXAMPLE", secret).verify(request, "eu-west-1",
 * "monitoring")} is empty for a well-signed request, else says what is wrong.
 */
public final class Sigv4Verifier {
  private static final Pattern AUTH =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");

  private final String accessKey;
  private final String secretKey;

  private Sigv4Verifier(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** A verifier for requests signed with this key pair. */
  public static Sigv4Verifier of(String accessKey, String secretKey) {
    return new Sigv4Verifier(accessKey, secretKey);
  }

  /**
   * Empty if {@code r} is signed correctly for {@code region} and {@code service}, else why not.
   */
  public Optional<String> verify(RecordedRequest r, String region, String service) {
    String auth = r.header("authorization");
    Matcher m = AUTH.matcher(auth);
    if (!m.matches()) {
      return Optional.of("Authorization is not an AWS4-HMAC-SHA256 header: '" + cut(auth) + "'");
    }
    if (!m.group(1).equals(accessKey)) {
      return Optional.of("signed with access key " + m.group(1) + ", not " + accessKey);
    }
    String date = m.group(2);
    if (!m.group(3).equals(region)) {
      return Optional.of("signed for region " + m.group(3) + ", not " + region);
    }
    if (!m.group(4).equals(service)) {
      return Optional.of("signed for service " + m.group(4) + ", not " + service);
    }
    String amzDate = r.header("x-amz-date");
    if (!amzDate.startsWith(date)) {
      return Optional.of("x-amz-date '" + amzDate + "' does not match the scope date " + date);
    }
    List<String> signed = List.of(m.group(5).split(";"));
    if (!signed.contains("host") || !signed.contains("x-amz-date")) {
      return Optional.of("SignedHeaders must include host and x-amz-date: " + m.group(5));
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String h : signed) {
      if (!r.headers().containsKey(h)) {
        return Optional.of("signed header '" + h + "' is not in the request");
      }
      canonicalHeaders
          .append(h)
          .append(':')
          .append(r.header(h).trim().replaceAll("\\s+", " "))
          .append('\n');
    }
    String payloadHash = r.header("x-amz-content-sha256");
    String bodyHash = hex(sha256(r.body()));
    if (!payloadHash.isEmpty()
        && !payloadHash.equals("UNSIGNED-PAYLOAD")
        && !payloadHash.equals(bodyHash)) {
      return Optional.of("x-amz-content-sha256 does not match the body");
    }
    if (payloadHash.isEmpty()) {
      payloadHash = bodyHash;
    }
    String canonical =
        r.method()
            + "\n"
            + canonicalPath(r.rawPath())
            + "\n"
            + canonicalQuery(r.query())
            + "\n"
            + canonicalHeaders
            + "\n"
            + m.group(5)
            + "\n"
            + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, toSign));
    if (!expected.equals(m.group(6))) {
      return Optional.of("signature does not match the canonical request");
    }
    return Optional.empty();
  }

  private static String canonicalPath(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    List<String> out = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      out.add(encode(decode(segment), false));
    }
    // non-S3 services encode each segment twice
    List<String> twice = new ArrayList<>();
    for (String s : out) {
      twice.add(s.replace("%", "%25"));
    }
    return String.join("/", twice);
  }

  private static String canonicalQuery(Map<String, List<String>> query) {
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    query.forEach((k, v) -> sorted.put(encode(k, true), v));
    List<String> parts = new ArrayList<>();
    sorted.forEach(
        (k, values) -> {
          List<String> vs = new ArrayList<>();
          values.forEach(v -> vs.add(encode(v, true)));
          vs.sort(null);
          vs.forEach(v -> parts.add(k + "=" + v));
        });
    return String.join("&", parts);
  }

  private static String encode(String s, boolean slash) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (!slash && c == '/')) {
        out.write(c);
      } else {
        out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  private static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
