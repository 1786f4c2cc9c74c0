package io.glidepath.core.time;

import io.glidepath.core.Redaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Go and Argo write them: {@code 30s}, {@code 2m}, {@code 1h30m}, {@code
 * 500ms}, {@code 1.5h}, units {@code h m s ms us µs ns}. A bare number is seconds, as Argo Rollouts
 * reads {@code pause: {duration: 30}}.
 *
 * <pre>{@code
 * GoDuration.parse("1h30m"); // PT1H30M
 * GoDuration.format(Duration.ofSeconds(90)); // "1m30s"
 * }</pre>
 */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Pattern BARE = Pattern.compile("\\d+");

  /** Go's largest duration, {@code 2562047h47m16.854775807s} (the int64 nanoseconds). */
  public static final Duration MAX = Duration.ofNanos(Long.MAX_VALUE);

  /** The longest text read as a duration; anything longer is refused before it is parsed. */
  private static final int MAX_LENGTH = 100;

  private GoDuration() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text (at most its start) when it is not a duration,
   *     or one longer than Go's {@link #MAX}
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("duration must not be empty");
    }
    String s = text.strip();
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "invalid duration "
              + Redaction.excerpt(s)
              + ": longer than "
              + MAX_LENGTH
              + " characters");
    }
    if (BARE.matcher(s).matches()) {
      BigDecimal seconds = new BigDecimal(s);
      if (seconds.compareTo(BigDecimal.valueOf(MAX.getSeconds())) > 0) {
        throw tooLong(text);
      }
      return Duration.ofSeconds(seconds.longValueExact());
    }
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid duration " + Redaction.excerpt(text) + ": a sign needs a number");
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(
            "invalid duration "
                + Redaction.excerpt(text)
                + ": expected e.g. 30s, 2m, 1h30m, 500ms");
      }
      BigDecimal amount =
          new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      at = m.end();
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw tooLong(text);
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(
        "invalid duration "
            + Redaction.excerpt(text.strip())
            + ": longer than Go's largest duration (2562047h47m16.854775807s)");
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  /** Formats like Go's {@code Duration.String()}: {@code 1h30m0s}, {@code 500ms}, {@code 0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.isNegative()) {
      sb.append('-');
      d = d.negated();
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      long n = d.toNanos();
      if (n % 1_000_000 == 0) {
        return sb.append(n / 1_000_000).append("ms").toString();
      }
      if (n % 1_000 == 0) {
        return sb.append(n / 1_000).append("µs").toString();
      }
      return sb.append(n).append("ns").toString();
    }
    long hours = d.toHours();
    long minutes = d.toMinutesPart();
    long seconds = d.toSecondsPart();
    int nanos = d.toNanosPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    sb.append(seconds);
    if (nanos > 0) {
      String frac = String.format("%09d", nanos).replaceAll("0+$", "");
      sb.append('.').append(frac);
    }
    return sb.append('s').toString();
  }
}
