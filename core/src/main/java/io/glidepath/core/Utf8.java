package io.glidepath.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads text files as strict UTF-8, as every Glidepath reader does: a byte sequence that is not
 * UTF-8 is a {@link NotUtf8Exception} naming the file and the byte offset, not a JDK {@code
 * MalformedInputException: Input length = 1}.
 *
 * <pre>{@code
 * String text = Utf8.read(file, "apps/trade-service/values.yaml");
 * }</pre>
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The text of {@code file}.
   *
   * @param name how messages name the file
   * @throws NotUtf8Exception when the content is not valid UTF-8
   * @throws IOException when the file cannot be read
   */
  public static String read(Path file, String name) throws IOException {
    return decode(Files.readAllBytes(file), name);
  }

  /**
   * {@code bytes} as UTF-8 text.
   *
   * @throws NotUtf8Exception naming {@code name} and the first offending byte
   */
  public static String decode(byte[] bytes, String name) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new NotUtf8Exception(name, in.position());
    }
    result = decoder.flush(out);
    if (result.isError()) {
      throw new NotUtf8Exception(name, in.position());
    }
    out.flip();
    return out.toString();
  }
}
