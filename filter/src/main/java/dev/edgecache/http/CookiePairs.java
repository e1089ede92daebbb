package dev.edgecache.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The cookies of a request's {@code Cookie} fields, read as the cache must read them: names
 * compared exactly (RFC 6265 §5.4 sends them as they were set, and applications tell
 * {@code lang} from {@code LANG}), values exactly as sent, quotes included. Containers read cookies
 * each their own way (one unquotes, another trims spaces round {@code =}, another drops what it
 * cannot parse); a key or a sharing decision made from such a reading could name a different
 * cookie than the one the application or the origin reads. So a field that is not plainly
 * {@code name=value} pairs separated by {@code ;} is not read at all: the caller treats it as
 * personal. Pure.
 */
public final class CookiePairs {
  /** One cookie: its name and its value, as sent. */
  public record Pair(String name, String value) {}

  private CookiePairs() {}

  /**
   * The pairs of {@code fields} in the order sent, or null if any field is not plainly
   * {@code cookie-pair *( ";" OWS cookie-pair )} (RFC 6265 §4.2.1, with the optional space after
   * {@code ;} any amount of blanks): an empty or non-token name, no {@code =}, blanks round the
   * {@code =}, a control character, or a value with blanks or {@code ,} inside it.
   */
  public static List<Pair> parse(List<String> fields) {
    List<Pair> pairs = new ArrayList<>();
    for (String field : fields) {
      for (String part : field.split(";", -1)) {
        String pair = strip(part);
        if (pair.isEmpty()) {
          continue; // "a=1;" or "a=1; ; b=2": nothing between the separators
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          return null;
        }
        String name = pair.substring(0, eq);
        String value = pair.substring(eq + 1);
        if (!Tokens.isToken(name) || !plainValue(value)) {
          return null;
        }
        pairs.add(new Pair(name, value));
      }
    }
    return pairs;
  }

  private static String strip(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  /**
   * A value as RFC 6265 §4.1.1 writes one (cookie-octets, or the same in double quotes), widened
   * to the octets browsers send anyway, but never a blank, a control character, {@code ,} or
   * {@code ;}: blanks round {@code =} or inside a value are what parsers disagree on.
   */
  private static boolean plainValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == 0x7f || c == ',' || c == ';' || c > 0xff) {
        return false;
      }
    }
    return true;
  }
}
