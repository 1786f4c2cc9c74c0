package io.glidepath.helm.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as repositories write them ({@code sha256:<hex>}, or the bare hex). */
public final class ChartDigests {
  private ChartDigests() {}

  /** {@code sha256:<hex>} of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Whether two digests are equal, with or without the {@code sha256:} prefix. */
  public static boolean same(String a, String b) {
    return strip(a).equalsIgnoreCase(strip(b));
  }

  private static String strip(String d) {
    return d.startsWith("sha256:") ? d.substring(7) : d;
  }
}
