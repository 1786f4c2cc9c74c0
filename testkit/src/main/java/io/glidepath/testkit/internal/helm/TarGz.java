package io.glidepath.testkit.internal.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gzip tar archives (ustar, regular files and directories), as {@code helm package} does.
 */
public final class TarGz {
  private TarGz() {}

  /** The files of {@code dir} (sorted), under {@code top/} in the archive. */
  public static byte[] ofDirectory(Path dir, String top) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        files.put(
            top + "/" + dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return of(files);
  }

  /** An archive of these entries (path to content), in order. */
  public static byte[] of(Map<String, byte[]> files) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          gz.write(header(f.getKey(), f.getValue().length, '0', ""));
          gz.write(f.getValue());
          gz.write(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        gz.write(new byte[1024]);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A ustar header; {@code type} {@code '0'} file, {@code '2'} symlink, {@code '5'} directory. */
  public static byte[] header(String name, long size, char type, String link) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100) {
      int split = name.lastIndexOf('/', 154);
      byte[] prefix = name.substring(0, split).getBytes(StandardCharsets.UTF_8);
      n = name.substring(split + 1).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, type == '5' ? 0755 : 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    byte[] l = link.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(l, 0, h, 157, Math.min(100, l.length));
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    while (s.length() < len - 1) {
      s = "0" + s;
    }
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }
}
