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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms that a
 * recipient must still accept. Parsing never throws: anything else is empty. Pure.
 */
public final class HttpDates {
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final String TIME = "(\\d{2}:\\d{2}:\\d{2})";
  /** IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final Pattern IMF = Pattern.compile(
      "(mon|tue|wed|thu|fri|sat|sun), (\\d{2}) ([a-z]{3}) (\\d{4}) " + TIME + " gmt",
      Pattern.CASE_INSENSITIVE);
  /** RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
  private static final Pattern RFC850 = Pattern.compile(
      "(monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\\d{2})-([a-z]{3})-(\\d{2}) "
          + TIME + " gmt",
      Pattern.CASE_INSENSITIVE);
  /** asctime: {@code Sun Nov  6 08:49:37 1994} (a one-digit day is padded with a space). */
  private static final Pattern ASCTIME = Pattern.compile(
      "(mon|tue|wed|thu|fri|sat|sun) ([a-z]{3}) (\\d{2}| \\d) " + TIME + " (\\d{4})",
      Pattern.CASE_INSENSITIVE);
  /** Longer values are not dates; refusing them early bounds the work on hostile input. */
  private static final int MAX_LENGTH = 64;

  /** An IMF-fixdate and its instant. */
  private record Parsed(String value, long epochMillis) {}

  /**
   * The IMF-fixdate parsed last: the responses of one second carry the same {@code Date}, and a
   * fill parses it for each (the pattern and the calendar showed in the profile of a stream of fills).
   * The value alone decides the result for this form, so sharing it between threads is safe.
   */
  private static volatile Parsed lastParsed = new Parsed("", 0);

  private HttpDates() {}

  /** Formats {@code epochMillis} as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  public static String format(long epochMillis) {
    return IMF_FIXDATE.format(java.time.Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Parses one date in any of the three forms; {@code nowMillis} decides the century of a
   * two-digit RFC 850 year (§5.6.7: a date more than 50 years ahead is taken from the past century).
   * The grammar is followed to the space: a comma missing, a space doubled, dashes in an
   * IMF-fixdate, a one-digit hour or a zone other than {@code GMT} make the value invalid, which
   * for {@code Expires} means already expired (RFC 9111 §5.3). Names are matched without regard
   * to case, as a lenient recipient does for {@code THU} or {@code gMT}.
   *
   * @return epoch milliseconds, or empty if the value is not an HTTP date
   */
  public static OptionalLong parse(String value, long nowMillis) {
    if (value == null || value.length() > MAX_LENGTH) {
      return OptionalLong.empty();
    }
    String v = value.strip();
    Parsed last = lastParsed;
    if (v.equals(last.value())) {
      return OptionalLong.of(last.epochMillis());
    }
    try {
      Matcher m = IMF.matcher(v);
      if (m.matches()) {
        OptionalLong parsed = of(Integer.parseInt(m.group(4)), m.group(3), m.group(2), m.group(5));
        if (parsed.isPresent()) {
          lastParsed = new Parsed(v, parsed.getAsLong());
        }
        return parsed;
      }
      m = RFC850.matcher(v);
      if (m.matches()) {
        return of(rfc850Year(Integer.parseInt(m.group(4)), nowMillis), m.group(3), m.group(2), m.group(5));
      }
      m = ASCTIME.matcher(v);
      if (m.matches()) {
        return of(Integer.parseInt(m.group(5)), m.group(2), m.group(3).strip(), m.group(4));
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
    if (m < 0) {
      return OptionalLong.empty();
    }
    LocalTime t = LocalTime.of(Integer.parseInt(time.substring(0, 2)),
        Integer.parseInt(time.substring(3, 5)), Integer.parseInt(time.substring(6, 8)));
    LocalDateTime dt = LocalDateTime.of(LocalDate.of(year, m + 1, Integer.parseInt(day)), t);
    return OptionalLong.of(dt.toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  private static int rfc850Year(int twoDigits, long nowMillis) {
    int thisYear = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC).getYear();
    int year = thisYear / 100 * 100 + twoDigits;
    return year > thisYear + 50 ? year - 100 : year;
  }
}
