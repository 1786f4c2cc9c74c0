package io.glidepath.core.internal.project;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule ({@code minute hour day-of-month month day-of-week}), read
 * the way Argo CD's sync windows read it (robfig/cron's standard parser): {@code *}, lists, ranges,
 * steps ({@code *}{@code /15}, {@code 1-5/2}), month and weekday names ({@code JAN}, {@code MON}),
 * Sunday as 0 or 7, and the descriptors {@code @yearly @annually @monthly @weekly @daily
 * @midnight @hourly}. When both day fields are restricted, a day matches if either does, as in
 * cron.
 *
 * <p>Times are matched on the wall clock of the schedule's zone. A time that a daylight-saving
 * change skips never matches; one that it repeats matches on both occurrences.
 */
public final class Cron {
  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domStar;
  private final boolean dowStar;

  private Cron(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], 0, 59, Map.of(), "minute");
    this.hours = field(f[1], 0, 23, Map.of(), "hour");
    this.daysOfMonth = field(f[2], 1, 31, Map.of(), "day of month");
    this.months = field(f[3], 1, 12, MONTHS, "month");
    BitSet dow = field(f[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.domStar = f[2].startsWith("*") || f[2].equals("?");
    this.dowStar = f[4].startsWith("*") || f[4].equals("?");
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the field and value when it is not a schedule
   */
  public static Cron parse(String text) {
    String s = text.strip();
    switch (s) {
      case "@yearly", "@annually" -> s = "0 0 1 1 *";
      case "@monthly" -> s = "0 0 1 * *";
      case "@weekly" -> s = "0 0 * * 0";
      case "@daily", "@midnight" -> s = "0 0 * * *";
      case "@hourly" -> s = "0 * * * *";
      default -> {}
    }
    String[] f = s.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "schedule \""
              + text
              + "\" must have 5 fields (minute hour day-of-month month day-of-week), but has "
              + f.length);
    }
    return new Cron(text, f);
  }

  private BitSet field(String spec, int min, int max, Map<String, Integer> names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), Map.of(), what);
        if (step < 1) {
          throw bad(what, part, "step must be >= 1");
        }
        range = part.substring(0, slash);
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max == 7 ? 6 : max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        lo = number(ends[0], names, what);
        hi = number(ends[1], names, what);
      } else {
        lo = number(range, names, what);
        hi = slash >= 0 ? (max == 7 ? 6 : max) : lo;
      }
      if (lo < min || hi > max || lo > hi) {
        throw bad(what, part, "must lie within " + min + "-" + max);
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private IllegalArgumentException bad(String what, String part, String why) {
    return new IllegalArgumentException(
        "schedule \"" + text + "\": " + what + " \"" + part + "\" " + why);
  }

  private int number(String s, Map<String, Integer> names, String what) {
    Integer named = names.get(s.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw bad(what, s, "is not a number");
    }
  }

  /** Whether the schedule fires at the minute {@code t} falls in, on {@code zone}'s wall clock. */
  public boolean matches(ZonedDateTime t) {
    if (!minutes.get(t.getMinute()) || !hours.get(t.getHour()) || !months.get(t.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (domStar || dowStar) {
      return dom && dow;
    }
    return dom || dow;
  }

  /**
   * The first firing strictly after {@code after} and strictly before {@code before}, if any. Walks
   * minute by minute, so keep the interval to what a window's duration needs.
   */
  public java.util.Optional<Instant> firstBetween(Instant after, Instant before, ZoneId zone) {
    Instant t = after.truncatedTo(ChronoUnit.MINUTES);
    if (!t.isAfter(after)) {
      t = t.plus(1, ChronoUnit.MINUTES);
    }
    for (; t.isBefore(before); t = t.plus(1, ChronoUnit.MINUTES)) {
      if (matches(t.atZone(zone))) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
