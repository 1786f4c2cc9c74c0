package io.glidepath.helm.internal;

import io.glidepath.core.render.RenderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Reads the entries of a tar stream (ustar, with GNU long names and pax {@code path} records), as
 * far as {@link SchemaReferences} needs: the name and, for the entries it asks for, the content.
 * Every byte read counts against a budget, so a compressed archive cannot expand without bound.
 */
final class Tar {
  private static final int BLOCK = 512;

  interface EntryHandler {
    void handle(String name, byte[] content) throws IOException;
  }

  private Tar() {}

  static void forEach(
      InputStream in, long[] budget, String archive, EntryHandler handler, Predicate<String> wanted)
      throws IOException {
    String longName = null;
    while (true) {
      byte[] header = read(in, BLOCK, budget, archive);
      if (header == null || isZero(header)) {
        return;
      }
      String name = string(header, 0, 100);
      String prefix = string(header, 345, 155);
      if (!prefix.isEmpty() && header[257] == 'u') {
        name = prefix + "/" + name;
      }
      long size = octal(header, 124, 12, archive);
      char type = (char) header[156];
      long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      if (type == 'L' || type == 'x') {
        byte[] data = read(in, (int) Math.min(padded, 1 << 20), budget, archive);
        if (data == null || padded > 1 << 20) {
          throw truncated(archive);
        }
        String text = new String(data, 0, (int) size, StandardCharsets.UTF_8);
        longName = type == 'L' ? text.replace("\0", "") : paxPath(text, longName);
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      boolean regular = type == '0' || type == '\0' || type == '7';
      if (regular && wanted.test(name)) {
        if (size > budget[0]) {
          throw tooLarge(archive);
        }
        byte[] data = read(in, (int) padded, budget, archive);
        if (data == null) {
          throw truncated(archive);
        }
        byte[] content = new byte[(int) size];
        System.arraycopy(data, 0, content, 0, (int) size);
        handler.handle(name, content);
      } else {
        skip(in, padded, budget, archive);
      }
    }
  }

  private static String paxPath(String records, String current) {
    String result = current;
    int i = 0;
    while (i < records.length()) {
      int space = records.indexOf(' ', i);
      if (space < 0) {
        break;
      }
      int length;
      try {
        length = Integer.parseInt(records.substring(i, space));
      } catch (NumberFormatException e) {
        break;
      }
      if (length <= 0 || i + length > records.length()) {
        break;
      }
      String record = records.substring(space + 1, i + length - 1);
      if (record.startsWith("path=")) {
        result = record.substring("path=".length());
      }
      i += length;
    }
    return result;
  }

  private static byte[] read(InputStream in, int n, long[] budget, String archive)
      throws IOException {
    if (n > budget[0]) {
      throw tooLarge(archive);
    }
    byte[] data = in.readNBytes(n);
    budget[0] -= data.length;
    return data.length < n ? null : data;
  }

  private static void skip(InputStream in, long n, long[] budget, String archive)
      throws IOException {
    if (n > budget[0]) {
      throw tooLarge(archive);
    }
    in.skipNBytes(n);
    budget[0] -= n;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len, String archive) {
    String s = string(b, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new RenderException(
          "chart archive " + archive + " has a corrupt tar header", archive, e);
    }
  }

  private static RenderException truncated(String archive) {
    return new RenderException("chart archive " + archive + " is truncated", archive, null);
  }

  private static RenderException tooLarge(String archive) {
    return new RenderException(
        "chart archive " + archive + " expands to more than 64 MiB; it was not read",
        archive,
        null);
  }
}
