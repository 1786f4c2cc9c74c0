package io.glidepath.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Command-line times: RFC 3339 ({@code 2026-11-25T10:00:00Z}) or Unix seconds. */
final class TimeArg {
  private TimeArg() {}

  static Instant parse(String text) {
    String s = text.strip();
    if (s.matches("\\d+(\\.\\d+)?")) {
      double seconds = Double.parseDouble(s);
      long whole = (long) seconds;
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "time \"" + text + "\" is neither RFC 3339 (2026-11-25T10:00:00Z) nor Unix seconds");
    }
  }
}
