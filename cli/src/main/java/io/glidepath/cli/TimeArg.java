package io.glidepath.cli;

import io.glidepath.core.Redaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Command-line times: RFC 3339 ({@code 2026-11-25T10:00:00Z}) or Unix seconds. */
final class TimeArg {
  private TimeArg() {}

  static Instant parse(String text) {
    String s = text.strip();
    if (s.length() > 64) {
      throw new IllegalArgumentException(
          "time " + Redaction.excerpt(s) + " is longer than any RFC 3339 time or Unix seconds");
    }
    if (s.matches("\\d+(\\.\\d+)?")) {
      BigDecimal seconds = new BigDecimal(s);
      if (seconds.compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond())) > 0) {
        throw new IllegalArgumentException(
            "time "
                + Redaction.excerpt(s)
                + " is out of range: Unix seconds after year 1000000000");
      }
      long whole = seconds.longValue();
      int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
      return Instant.ofEpochSecond(whole, nanos);
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "time "
              + Redaction.excerpt(s)
              + " is neither RFC 3339 (2026-11-25T10:00:00Z) nor Unix seconds");
    }
  }
}
