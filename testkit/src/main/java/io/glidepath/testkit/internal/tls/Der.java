package io.glidepath.testkit.internal.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The few DER encodings an X.509 certificate needs. */
public final class Der {
  private Der() {}

  public static byte[] tlv(int tag, byte[]... content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : content) {
      body.writeBytes(c);
    }
    byte[] b = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = b.length;
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
    out.writeBytes(b);
    return out.toByteArray();
  }

  public static byte[] seq(byte[]... content) {
    return tlv(0x30, content);
  }

  public static byte[] set(byte[]... content) {
    return tlv(0x31, content);
  }

  public static byte[] integer(BigInteger v) {
    return tlv(0x02, v.toByteArray());
  }

  public static byte[] bool(boolean v) {
    return tlv(0x01, new byte[] {(byte) (v ? 0xff : 0)});
  }

  public static byte[] octets(byte[] v) {
    return tlv(0x04, v);
  }

  public static byte[] bits(byte[] v) {
    byte[] b = new byte[v.length + 1];
    System.arraycopy(v, 0, b, 1, v.length);
    return tlv(0x03, b);
  }

  public static byte[] utf8(String s) {
    return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] utcTime(ZonedDateTime t) {
    String s =
        t.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyMMddHHmmss"))
            + "Z";
    return tlv(0x17, s.getBytes(StandardCharsets.US_ASCII));
  }

  /** An OBJECT IDENTIFIER from dotted text. */
  public static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      long v = Long.parseLong(parts[i]);
      byte[] tmp = new byte[10];
      int n = 0;
      do {
        tmp[n++] = (byte) (v & 0x7f);
        v >>= 7;
      } while (v > 0);
      for (int k = n - 1; k >= 0; k--) {
        out.write(tmp[k] | (k > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  /** A Name of one common name. */
  public static byte[] name(String cn) {
    return seq(set(seq(oid("2.5.4.3"), utf8(cn))));
  }
}
