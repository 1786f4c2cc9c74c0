package io.glidepath.core;

/**
 * A file that should hold text is not valid UTF-8: a binary file, or text in another encoding. The
 * message names the file and the offset of the first byte that is not UTF-8.
 */
public final class NotUtf8Exception extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long byteOffset;

  public NotUtf8Exception(String file, long byteOffset) {
    super(file + " is not valid UTF-8 text: the byte at offset " + byteOffset + " is not UTF-8");
    this.file = file;
    this.byteOffset = byteOffset;
  }

  /** The file, as named to the reader (usually relative to the repository root). */
  public String file() {
    return file;
  }

  /** The 0-based offset of the first byte that is not UTF-8. */
  public long byteOffset() {
    return byteOffset;
  }
}
