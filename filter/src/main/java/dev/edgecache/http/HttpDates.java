package dev.edgecache.http;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms that a
 * recipient must still accept. Parsing never throws: anything else is empty. Pure.
 */
public final class HttpDates {
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  /** Longer values are not dates; refusing them early bounds the work on hostile input. */
  private static final int MAX_LENGTH = 64;

  private HttpDates() {}

  /** Formats {@code epochMillis} as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  public static String format(long epochMillis) {
    return IMF_FIXDATE.format(java.time.Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Parses one date in any of the three forms; {@code nowMillis} decides the century of a
   * two-digit RFC 850 year (§5.6.7: a date more than 50 years ahead is taken from the past century).
   *
   * @return epoch milliseconds, or empty if the value is not an HTTP date
   */
  public static OptionalLong parse(String value, long nowMillis) {
    if (value == null || value.length() > MAX_LENGTH) {
      return OptionalLong.empty();
    }
    String[] parts = value.trim().split("[ ,\\-]+");
    try {
      if (parts.length == 6 && parts[5].equals("GMT")) {
        // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"
        int year = Integer.parseInt(parts[3]);
        if (parts[3].length() == 2) {
          year = rfc850Year(year, nowMillis);
        } else if (parts[3].length() != 4) {
          return OptionalLong.empty();
        }
        return of(year, parts[2], parts[1], parts[4]);
      }
      if (parts.length == 5) {
        // asctime "Sun Nov  6 08:49:37 1994"
        if (parts[4].length() != 4) {
          return OptionalLong.empty();
        }
        return of(Integer.parseInt(parts[4]), parts[1], parts[2], parts[3]);
      }
    } catch (NumberFormatException | DateTimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** The one date of a field that must appear once; empty if absent, repeated or invalid. */
  public static OptionalLong parseSingle(List<String> values, long nowMillis) {
    return values.size() == 1 ? parse(values.get(0), nowMillis) : OptionalLong.empty();
  }

  private static OptionalLong of(int year, String month, String day, String time) {
    int m = MONTHS.indexOf(month.toLowerCase(Locale.ROOT));
    if (m < 0 || day.length() > 2 || time.length() != 8) {
      return OptionalLong.empty();
    }
    LocalTime t = LocalTime.of(Integer.parseInt(time.substring(0, 2)),
        Integer.parseInt(time.substring(3, 5)), Integer.parseInt(time.substring(6, 8)));
    if (time.charAt(2) != ':' || time.charAt(5) != ':') {
      return OptionalLong.empty();
    }
    LocalDateTime dt = LocalDateTime.of(LocalDate.of(year, m + 1, Integer.parseInt(day)), t);
    return OptionalLong.of(dt.toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  private static int rfc850Year(int twoDigits, long nowMillis) {
    int thisYear = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC).getYear();
    int year = thisYear / 100 * 100 + twoDigits;
    return year > thisYear + 50 ? year - 100 : year;
  }
}
