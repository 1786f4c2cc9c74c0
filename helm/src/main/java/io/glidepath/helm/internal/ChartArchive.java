package io.glidepath.helm.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Unpacks a Helm chart archive ({@code .tgz}: a gzip tar whose entries sit under one top directory,
 * the chart's name) into a directory, as Helm's loader reads it: the top directory is stripped, so
 * {@code Chart.yaml} lands at the target's root.
 *
 * <p>Refused, with an {@link ArchiveException}: data that is not gzip or not tar; an entry whose
 * path is absolute, holds {@code ..} or would land outside the target; symbolic and hard links,
 * devices and FIFOs; entries that do not sit under one common top directory; more than {@link
 * #MAX_ENTRIES} entries, a file larger than {@link #MAX_FILE_BYTES} or more than {@link
 * #MAX_TOTAL_BYTES} in all (Helm's own limits on a decompressed chart); an archive without {@code
 * Chart.yaml} at its base. Packed subcharts ({@code charts/*.tgz}) are unpacked too, each into
 * {@code charts/<name>/} in place of the archive, with the same checks and the limits shared.
 */
public final class ChartArchive {
  /** Helm's limit on a decompressed chart. */
  public static final long MAX_TOTAL_BYTES = 100L * 1024 * 1024;

  /** Helm's limit on one decompressed file of a chart. */
  public static final long MAX_FILE_BYTES = 5L * 1024 * 1024;

  /** How many entries a chart archive may hold. */
  public static final int MAX_ENTRIES = 10_000;

  /** How deep packed subcharts may nest. */
  private static final int MAX_DEPTH = 10;

  /** A chart archive that cannot be unpacked safely; the message says why. */
  public static final class ArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArchiveException(String message) {
      super(message);
    }
  }

  private long total;
  private int entries;

  private ChartArchive() {}

  /**
   * Unpacks {@code archive} into {@code target} (created; must not exist or be empty).
   *
   * @return the chart's name (the archive's top directory)
   */
  public static String unpack(byte[] archive, Path target) throws IOException {
    return unpack(new ByteArrayInputStream(archive), target);
  }

  /** Unpacks the archive read from {@code in}; see {@link #unpack(byte[], Path)}. */
  public static String unpack(InputStream in, Path target) throws IOException {
    try {
      return new ChartArchive().unpack(in, target, 0);
    } catch (ZipException | EOFException e) {
      throw new ArchiveException("the chart archive is corrupt: " + e.getMessage());
    }
  }

  private String unpack(InputStream raw, Path target, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new ArchiveException("subcharts nest deeper than " + MAX_DEPTH + " levels");
    }
    Files.createDirectories(target);
    Path root = target.toAbsolutePath().normalize();
    String top = null;
    Set<String> written = new HashSet<>();
    try (InputStream in = gunzip(raw)) {
      byte[] header = new byte[512];
      String longName = null;
      String paxPath = null;
      while (true) {
        if (!readBlock(in, header)) {
          throw new ArchiveException("the tar stream ends without its end-of-archive blocks");
        }
        if (isZero(header)) {
          break;
        }
        checkChecksum(header);
        char type = (char) (header[156] == 0 ? '0' : header[156]);
        long size = octal(header, 124, 12);
        if (size < 0) {
          throw new ArchiveException("an entry has a negative size");
        }
        if (type == 'x' || type == 'L' || type == 'g') {
          if (size > 64 * 1024) {
            throw new ArchiveException("an extended tar header is larger than 64 KiB");
          }
          byte[] data = readData(in, size);
          if (type == 'L') {
            longName = cString(data, 0, data.length);
          } else if (type == 'x') {
            paxPath = paxPath(data);
          }
          continue;
        }
        String name = paxPath != null ? paxPath : longName != null ? longName : name(header);
        paxPath = null;
        longName = null;
        if (++entries > MAX_ENTRIES) {
          throw new ArchiveException("the archive holds more than " + MAX_ENTRIES + " entries");
        }
        String path = checkedPath(name);
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        if (top == null) {
          top = first;
        } else if (!top.equals(first)) {
          throw new ArchiveException(
              "the archive's entries are not all under one chart directory: "
                  + top
                  + "/ and "
                  + first
                  + "/");
        }
        switch (type) {
          case '0', '7' -> {
            if (rest.isEmpty()) {
              throw new ArchiveException("the archive has a file at its root: " + path);
            }
            if (size > MAX_FILE_BYTES) {
              throw new ArchiveException(
                  path + " is larger than the limit of " + MAX_FILE_BYTES + " bytes");
            }
            total += size;
            if (total > MAX_TOTAL_BYTES) {
              throw new ArchiveException(
                  "the chart is larger than the limit of " + MAX_TOTAL_BYTES + " bytes unpacked");
            }
            Path file = inside(root, rest);
            if (!written.add(rest)) {
              throw new ArchiveException("the archive holds " + path + " twice");
            }
            Files.createDirectories(file.getParent());
            try (OutputStream out =
                Files.newOutputStream(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
              copy(in, out, size);
            }
            skipPadding(in, size);
          }
          case '5' -> {
            if (!rest.isEmpty()) {
              Files.createDirectories(inside(root, rest));
            }
            skipData(in, size);
          }
          case '1', '2' ->
              throw new ArchiveException(
                  path
                      + " is a "
                      + (type == '1' ? "hard" : "symbolic")
                      + " link, which charts may not hold");
          default ->
              throw new ArchiveException(
                  path + " is a tar entry of type '" + type + "', which charts may not hold");
        }
      }
    }
    if (top == null) {
      throw new ArchiveException("the archive is empty");
    }
    if (!Files.isRegularFile(root.resolve("Chart.yaml"))) {
      throw new ArchiveException("the archive has no " + top + "/Chart.yaml");
    }
    unpackSubcharts(root, depth);
    return top;
  }

  /** Replaces each {@code charts/*.tgz} with its unpacked directory (Helm reads both alike). */
  private void unpackSubcharts(Path chart, int depth) throws IOException {
    Path charts = chart.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    java.util.List<Path> archives;
    try (var list = Files.list(charts)) {
      archives = list.filter(p -> p.getFileName().toString().endsWith(".tgz")).sorted().toList();
    }
    for (Path archive : archives) {
      String file = archive.getFileName().toString();
      Path staging = charts.resolve(".unpack-" + file);
      try (InputStream in = Files.newInputStream(archive)) {
        String name = unpack(in, staging, depth + 1);
        Path dir = charts.resolve(name);
        if (Files.exists(dir)) {
          // Helm would load both and fail on the duplicate; say so plainly
          throw new ArchiveException(
              "charts/" + file + " and charts/" + name + "/ hold the same subchart");
        }
        Files.move(staging, dir);
      } catch (ArchiveException e) {
        throw new ArchiveException("charts/" + file + ": " + e.getMessage());
      }
      Files.delete(archive);
    }
  }

  private static InputStream gunzip(InputStream raw) throws IOException {
    try {
      return new GZIPInputStream(raw, 8192);
    } catch (ZipException | EOFException e) {
      throw new ArchiveException("the chart archive is not gzip data");
    }
  }

  private static String checkedPath(String name) throws ArchiveException {
    String path = name;
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      throw new ArchiveException("an entry has an empty name");
    }
    if (path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
      throw new ArchiveException(name + " is an absolute path");
    }
    for (String part : path.split("/", -1)) {
      if (part.equals("..")) {
        throw new ArchiveException(name + " escapes the chart directory");
      }
      if (part.isEmpty() || part.equals(".")) {
        throw new ArchiveException(name + " is not a clean path");
      }
      if (part.indexOf('\0') >= 0) {
        throw new ArchiveException("an entry name holds a NUL character");
      }
    }
    return path;
  }

  private static Path inside(Path root, String rest) throws ArchiveException {
    Path p = root.resolve(rest).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new ArchiveException(rest + " escapes the chart directory");
    }
    return p;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int off = 0;
    while (off < block.length) {
      int n = in.read(block, off, block.length - off);
      if (n < 0) {
        return false;
      }
      off += n;
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkChecksum(byte[] header) throws ArchiveException {
    long stored = octal(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (stored != sum) {
      throw new ArchiveException("the chart archive is not a tar stream (bad header checksum)");
    }
  }

  private static long octal(byte[] b, int off, int len) throws ArchiveException {
    if ((b[off] & 0x80) != 0) {
      // GNU base-256 for large numbers
      long v = b[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        if (v > (Long.MAX_VALUE >> 8)) {
          throw new ArchiveException("a tar header number is too large");
        }
        v = (v << 8) | (b[off + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (b[i] == ' ' || b[i] == 0)) {
      i++;
    }
    for (; i < end && b[i] >= '0' && b[i] <= '7'; i++) {
      if (v > (Long.MAX_VALUE >> 3)) {
        throw new ArchiveException("a tar header number is too large");
      }
      v = v * 8 + (b[i] - '0');
    }
    for (; i < end; i++) {
      if (b[i] != ' ' && b[i] != 0) {
        throw new ArchiveException("the chart archive is not a tar stream (bad header number)");
      }
    }
    return v;
  }

  private static String name(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar =
        header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a';
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** The {@code path} record of a PAX header ({@code "LEN path=VALUE\n"} records), if any. */
  private static String paxPath(byte[] data) throws ArchiveException {
    String text = new String(data, StandardCharsets.UTF_8);
    String found = null;
    int i = 0;
    while (i < text.length()) {
      int space = text.indexOf(' ', i);
      if (space < 0) {
        break;
      }
      int len;
      try {
        len = Integer.parseInt(text.substring(i, space));
      } catch (NumberFormatException e) {
        throw new ArchiveException("a PAX header record has no length");
      }
      if (len <= 0 || i + len > text.length()) {
        throw new ArchiveException("a PAX header record is cut short");
      }
      String record = text.substring(space + 1, i + len - 1);
      if (record.startsWith("path=")) {
        found = record.substring(5);
      }
      i += len;
    }
    return found;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    byte[] data = new byte[(int) size];
    if (!readBlock(in, data)) {
      throw new ArchiveException("the tar stream is cut short");
    }
    skipPadding(in, size);
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[8192];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new ArchiveException("the tar stream is cut short");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skipData(InputStream in, long size) throws IOException {
    copy(in, OutputStream.nullOutputStream(), size);
    skipPadding(in, size);
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (512 - (size % 512)) % 512;
    copy(in, OutputStream.nullOutputStream(), pad);
  }
}
