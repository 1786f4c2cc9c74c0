package io.glidepath.helm.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys as repositories store them: PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}) keys; encrypted keys
 * are refused. Errors never include the key text.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private Pem() {}

  /** The certificates in {@code pem}; at least one. */
  public static List<X509Certificate> certificates(String pem, String what)
      throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory f = CertificateFactory.getInstance("X.509");
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals("CERTIFICATE")) {
        byte[] der = decode(m.group(2), what);
        out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException(what + " holds no PEM CERTIFICATE");
    }
    return out;
  }

  /** The private key in {@code pem}. */
  public static PrivateKey privateKey(String pem, String what) throws GeneralSecurityException {
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("Proc-Type: 4,ENCRYPTED")) {
        throw new GeneralSecurityException(what + " is encrypted, which is not supported");
      }
      byte[] der = decode(m.group(2), what);
      switch (type) {
        case "PRIVATE KEY" -> {
          return pkcs8(der, what);
        }
        case "RSA PRIVATE KEY" -> {
          // PKCS#8 wrapper: version 0, rsaEncryption with NULL parameters, the PKCS#1 key
          byte[] alg = seq(concat(oid("2a864886f70d010101"), new byte[] {5, 0}));
          return pkcs8(seq(concat(new byte[] {2, 1, 0}, alg, tlv(0x04, der))), what);
        }
        case "EC PRIVATE KEY" -> {
          byte[] curve = sec1Curve(der, what);
          byte[] alg = seq(concat(oid("2a8648ce3d0201"), curve));
          return pkcs8(seq(concat(new byte[] {2, 1, 0}, alg, tlv(0x04, der))), what);
        }
        default -> {
          // other blocks (a certificate next to the key) are skipped
        }
      }
    }
    throw new GeneralSecurityException(what + " holds no PEM private key");
  }

  private static PrivateKey pkcs8(byte[] der, String what) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException(what + " is not an RSA, EC or Ed25519 private key");
  }

  /** The named-curve OID element of a SEC1 ECPrivateKey ({@code [0]} parameters). */
  private static byte[] sec1Curve(byte[] der, String what) throws GeneralSecurityException {
    // SEQUENCE { INTEGER 1, OCTET STRING key, [0] { OID curve }, [1] ... }
    int i = 0;
    if ((der[i++] & 0xff) != 0x30) {
      throw new GeneralSecurityException(what + " is not a SEC1 EC private key");
    }
    i = skipLength(der, i);
    while (i < der.length) {
      int tag = der[i++] & 0xff;
      int lenStart = i;
      int len = length(der, i);
      i = skipLength(der, lenStart);
      if (tag == 0xa0) {
        byte[] out = new byte[len];
        System.arraycopy(der, i, out, 0, len);
        return out;
      }
      i += len;
    }
    throw new GeneralSecurityException(what + " names no curve");
  }

  private static int length(byte[] b, int i) {
    int first = b[i] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7f;
    int len = 0;
    for (int k = 1; k <= n; k++) {
      len = (len << 8) | (b[i + k] & 0xff);
    }
    return len;
  }

  private static int skipLength(byte[] b, int i) {
    int first = b[i] & 0xff;
    return first < 0x80 ? i + 1 : i + 1 + (first & 0x7f);
  }

  private static byte[] decode(String body, String what) throws GeneralSecurityException {
    try {
      return Base64.getMimeDecoder().decode(body.replaceAll("(?m)^[A-Za-z-]+:.*$", "").strip());
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(what + " is not valid PEM (bad base64)");
    }
  }

  private static byte[] oid(String hex) {
    byte[] v = java.util.HexFormat.of().parseHex(hex);
    return tlv(0x06, v);
  }

  private static byte[] seq(byte[] content) {
    return tlv(0x30, content);
  }

  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The PEM text of a certificate (for messages and tests). */
  public static String encode(X509Certificate cert) throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
