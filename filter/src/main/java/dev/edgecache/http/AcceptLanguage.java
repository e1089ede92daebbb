package dev.edgecache.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A request's {@code Accept-Language} (RFC 9110 §12.5.4) as language ranges with weights, and the
 * variant keys the cache makes of it. Pure.
 *
 * <p>Three keys, told apart by their first character so that no two kinds ever meet:
 *
 * <ul>
 *   <li>{@link #variantKey()}, {@code "~"}: the ranges grouped by weight, each group in sorted
 *       order, lower-cased. RFC 9111 §4.1 lets a cache normalise a selecting field as the field's
 *       definition allows: case, white space, and the order of ranges of equal weight do not
 *       change what the field asks for, so {@code "en, de"} and {@code "De,EN"} share a variant.
 *   <li>{@code "="} and a language tag: the variant of a language the origin serves, chosen by
 *       {@link #lookup} (RFC 4647 §3.4) among configured languages, or by {@link #onlyChoice}
 *       among the languages the origin was seen to serve.
 *   <li>{@code "!"} and the field as received: a field that is not a list of language ranges
 *       (RFC 4647 §2.1) keys a variant of its own.
 * </ul>
 */
public final class AcceptLanguage {
  /** A language range and its weight in thousandths (RFC 9110 §12.4.2: at most three decimals). */
  public record Range(String tag, int weight) {}

  private static final Pattern RANGE = Pattern.compile("\\*|[a-z]{1,8}(-[a-z0-9]{1,8})*");
  private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

  /** The most ranges read; a longer field keys a variant of its own, as a malformed one does. */
  static final int MAX_RANGES = 32;

  /** The ranges, best first; ranges of equal weight in the order given. Null if the field is not readable. */
  private final List<Range> ranges;
  private final String raw;

  private AcceptLanguage(List<Range> ranges, String raw) {
    this.ranges = ranges;
    this.raw = raw;
  }

  /** The field's lines, as received; none for an absent field. */
  public static AcceptLanguage parse(List<String> lines) {
    List<Range> ranges = new ArrayList<>();
    String raw = String.join(",", lines);
    for (String line : lines) {
      for (String member : line.split(",", -1)) {
        if (member.isBlank()) {
          continue; // empty list members are allowed and mean nothing (RFC 9110 §5.6.1)
        }
        Range r = range(member);
        if (r == null || ranges.size() == MAX_RANGES) {
          return new AcceptLanguage(null, raw);
        }
        ranges.add(r);
      }
    }
    ranges.sort(Comparator.comparingInt(Range::weight).reversed()); // stable: equal weights keep their order
    return new AcceptLanguage(List.copyOf(ranges), raw);
  }

  /** One member: a range and an optional weight; null if it is not one. */
  private static Range range(String member) {
    String[] parts = member.split(";", -1);
    String tag = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!RANGE.matcher(tag).matches() || parts.length > 2) {
      return null;
    }
    int weight = 1000;
    if (parts.length == 2) {
      String p = parts[1].trim();
      if (p.length() < 3 || Character.toLowerCase(p.charAt(0)) != 'q' || p.charAt(1) != '='
          || !QVALUE.matcher(p.substring(2)).matches()) {
        return null;
      }
      String q = p.substring(2);
      int whole = q.charAt(0) - '0';
      String decimals = q.length() > 2 ? (q.substring(2) + "00").substring(0, 3) : "000";
      weight = whole * 1000 + Integer.parseInt(decimals);
    }
    return new Range(tag, weight);
  }

  /** Whether the field was read as language ranges. */
  public boolean readable() {
    return ranges != null;
  }

  /** The ranges, best first; empty if the field was absent or not readable. */
  public List<Range> ranges() {
    return ranges == null ? List.of() : ranges;
  }

  /** The key of what the field asks for, whatever its case, spacing and order of equal weights. */
  public String variantKey() {
    if (ranges == null) {
      return "!" + raw;
    }
    TreeMap<Integer, TreeSet<String>> groups = new TreeMap<>(Comparator.reverseOrder());
    for (Range r : ranges) {
      groups.computeIfAbsent(r.weight(), w -> new TreeSet<>()).add(r.tag());
    }
    StringBuilder sb = new StringBuilder("~");
    groups.forEach((weight, tags) -> {
      if (sb.length() > 1) {
        sb.append(';');
      }
      sb.append(weight).append(':').append(String.join(",", tags));
    });
    return sb.toString();
  }

  /** The key of the variant in {@code tag}, one of the languages the origin serves. */
  public static String languageKey(String tag) {
    return "=" + tag.toLowerCase(Locale.ROOT);
  }

  /**
   * The language among {@code available} that RFC 4647 §3.4's lookup picks for these ranges:
   * each range in turn, best first, is tried as it is and then shortened a subtag at a time
   * ({@code de-ch-1996}, {@code de-ch}, {@code de}); the first available tag found wins. Ranges
   * of weight 0 are not acceptable and {@code *} names no language (RFC 4647 §3.4 lets lookup
   * ignore it), so neither is tried. Empty if nothing matches.
   *
   * @param available lower-case language tags
   */
  public Optional<String> lookup(Collection<String> available) {
    for (Range r : ranges()) {
      if (r.weight() == 0 || r.tag().equals("*")) {
        continue;
      }
      String tag = r.tag();
      while (true) {
        if (available.contains(tag)) {
          return Optional.of(tag);
        }
        int cut = tag.lastIndexOf('-');
        if (cut < 0) {
          break;
        }
        tag = tag.substring(0, cut);
        if (tag.length() > 1 && tag.charAt(tag.length() - 2) == '-') {
          tag = tag.substring(0, tag.length() - 2); // a singleton subtag goes with what follows it
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The language the origin must answer these ranges with, if it serves {@code served}: the
   * field's one best range, when it names a language the origin was seen to serve. Proactive
   * negotiation gives a client its best choice where the server has it (RFC 9110 §12.1); with
   * several best ranges, or a best range the origin was never seen to serve, which language it
   * would pick is not known, and the answer is empty.
   *
   * @param served lower-case language tags
   */
  public Optional<String> onlyChoice(Collection<String> served) {
    List<Range> rs = ranges();
    if (rs.isEmpty() || rs.get(0).weight() == 0 || (rs.size() > 1 && rs.get(1).weight() == rs.get(0).weight())) {
      return Optional.empty();
    }
    String best = rs.get(0).tag();
    return served.contains(best) ? Optional.of(best) : Optional.empty();
  }

  /**
   * The one language tag of a response's {@code Content-Language} (RFC 9110 §8.5), lower-cased;
   * empty if it names none, several, or is not a tag.
   */
  public static Optional<String> contentLanguage(List<String> lines) {
    if (lines.size() != 1) {
      return Optional.empty();
    }
    String tag = lines.get(0).trim().toLowerCase(Locale.ROOT);
    return RANGE.matcher(tag).matches() && !tag.equals("*") ? Optional.of(tag) : Optional.empty();
  }
}
