package io.glidepath.kube.internal;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import tools.jackson.databind.JsonNode;

/**
 * JSON documents of one kind kept compressed in memory, each against the same reference document (a
 * deflate preset dictionary): the first document packed. Objects of one kind differ from each other
 * in a few names and values, so a ConfigMap, a Deployment or an Application object packs to a tenth
 * or less of its JSON, where plain deflate of a small document saves about half. A store of
 * thousands of objects (an informer's, one per kind) keeps one of these; reading an object back
 * inflates it (microseconds for a few kilobytes).
 *
 * <p>The reference is fixed once chosen: every packed document depends on it. Documents that do not
 * look like it still pack, just less.
 *
 * <p>Thread-safe; each thread reuses its own {@link Deflater} and {@link Inflater}.
 */
final class PackedJson {
  // deflate looks back at most 32 KB: a longer reference helps no more than its tail
  private static final int MAX_DICTIONARY = 32 * 1024;
  private static final ThreadLocal<Deflater> DEFLATERS =
      ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));
  private static final ThreadLocal<Inflater> INFLATERS =
      ThreadLocal.withInitial(() -> new Inflater(true));

  private final AtomicReference<byte[]> dictionary = new AtomicReference<>();

  /** {@code json} (UTF-8) packed; the first document packed becomes the reference. */
  byte[] pack(byte[] json) {
    byte[] dict = dictionary.get();
    if (dict == null) {
      byte[] chosen =
          json.length <= MAX_DICTIONARY
              ? json.clone()
              : Arrays.copyOfRange(json, json.length - MAX_DICTIONARY, json.length);
      dictionary.compareAndSet(null, chosen);
      dict = dictionary.get();
    }
    Deflater d = DEFLATERS.get();
    d.reset();
    d.setDictionary(dict);
    d.setInput(json);
    d.finish();
    byte[] buffer = new byte[Math.max(64, json.length / 4)];
    int n = 0;
    while (!d.finished()) {
      if (n == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      n += d.deflate(buffer, n, buffer.length - n);
    }
    // the length first (4 bytes), so that reading allocates the output once
    byte[] out = new byte[n + 4];
    out[0] = (byte) (json.length >>> 24);
    out[1] = (byte) (json.length >>> 16);
    out[2] = (byte) (json.length >>> 8);
    out[3] = (byte) json.length;
    System.arraycopy(buffer, 0, out, 4, n);
    return out;
  }

  /** {@code tree} as JSON, packed. */
  byte[] pack(JsonNode tree) {
    return pack(Yaml.mapper().writeValueAsBytes(tree));
  }

  /** The JSON (UTF-8) {@code packed} was made from. */
  byte[] unpack(byte[] packed) {
    int length =
        ((packed[0] & 0xff) << 24)
            | ((packed[1] & 0xff) << 16)
            | ((packed[2] & 0xff) << 8)
            | (packed[3] & 0xff);
    Inflater i = INFLATERS.get();
    i.reset();
    i.setDictionary(dictionary.get());
    i.setInput(packed, 4, packed.length - 4);
    byte[] out = new byte[length];
    try {
      int n = 0;
      while (n < length) {
        int got = i.inflate(out, n, length - n);
        if (got == 0 && (i.finished() || i.needsInput() || i.needsDictionary())) {
          break;
        }
        n += got;
      }
      if (n != length) {
        throw new IllegalStateException("a packed document ended early: " + n + " of " + length);
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("a packed document is corrupt", e);
    }
    return out;
  }

  /** The tree of {@code packed}. */
  JsonNode tree(byte[] packed) {
    return Yaml.mapper().readTree(unpack(packed));
  }

  /** {@code packed} as a {@link Resource}. */
  Resource resource(byte[] packed) {
    return Resource.of(tree(packed));
  }

  /** For tests: the bytes kept for the reference. */
  int dictionarySize() {
    byte[] d = dictionary.get();
    return d == null ? 0 : d.length;
  }
}
