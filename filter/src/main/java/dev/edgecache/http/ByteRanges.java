package dev.edgecache.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@code Range} request on an object of known length (RFC 9110 §14.1.2, §14.2), decided as
 * RFC 9110 allows and attacks require: a syntactically invalid field is ignored (the whole 200
 * response); more ranges than the cap, or ranges that overlap, also get the whole response
 * rather than an amplified one; no satisfiable range gives 416; one gives 206; several give
 * {@code multipart/byteranges}. Numbers too large for a {@code long} are clamped, never wrapped.
 * Pure.
 */
public final class ByteRanges {
  /** What to answer. */
  public enum Outcome { WHOLE, PARTIAL, MULTIPART, UNSATISFIABLE }

  /** One satisfiable range, both ends inclusive, within the object. */
  public record Range(long first, long last) {
    public long length() {
      return last - first + 1;
    }

    /** The {@code Content-Range} value for an object of {@code length} bytes. */
    public String contentRange(long length) {
      return "bytes " + first + "-" + last + "/" + length;
    }
  }

  /**
   * The decision: the outcome and, for PARTIAL and MULTIPART, the ranges in request order.
   *
   * @param outcome what to answer
   * @param ranges the satisfiable ranges
   */
  public record Decision(Outcome outcome, List<Range> ranges) {
    public Decision {
      ranges = List.copyOf(ranges);
    }
  }

  private static final Decision WHOLE = new Decision(Outcome.WHOLE, List.of());
  private static final Decision UNSATISFIABLE = new Decision(Outcome.UNSATISFIABLE, List.of());
  /** A field longer than this is not parsed: the whole response. */
  private static final int MAX_FIELD_LENGTH = 8192;

  private ByteRanges() {}

  /**
   * Decides a {@code Range} field for an object of {@code length} bytes.
   *
   * @param field the field value, or null when absent
   * @param length the object's length
   * @param maxRanges the most ranges honoured
   */
  public static Decision decide(String field, long length, int maxRanges) {
    if (field == null || field.length() > MAX_FIELD_LENGTH) {
      return WHOLE;
    }
    String f = field.trim();
    int eq = f.indexOf('=');
    if (eq < 0 || !f.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
      return WHOLE; // another unit, or garbage: ignored (§14.2)
    }
    String[] specs = f.substring(eq + 1).split(",", -1);
    List<Range> satisfiable = new ArrayList<>();
    int count = 0;
    for (String raw : specs) {
      String spec = raw.trim();
      if (spec.isEmpty()) {
        continue;
      }
      if (++count > maxRanges) {
        return WHOLE;
      }
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return WHOLE;
      }
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = digits(b);
        if (suffix < 0) {
          return WHOLE;
        }
        if (suffix > 0 && length > 0) {
          satisfiable.add(new Range(Math.max(0, length - suffix), length - 1));
        }
        continue;
      }
      long first = digits(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
      if (first < 0 || last < 0 || last < first) {
        return WHOLE;
      }
      if (first < length) {
        satisfiable.add(new Range(first, Math.min(last, length - 1)));
      }
    }
    if (count == 0) {
      return WHOLE;
    }
    if (satisfiable.isEmpty()) {
      return UNSATISFIABLE;
    }
    if (satisfiable.size() == 1) {
      return new Decision(Outcome.PARTIAL, satisfiable);
    }
    List<Range> sorted = new ArrayList<>(satisfiable);
    sorted.sort(Comparator.comparingLong(Range::first));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).first() <= sorted.get(i - 1).last()) {
        return WHOLE; // overlapping ranges: no amplification
      }
    }
    return new Decision(Outcome.MULTIPART, satisfiable);
  }

  /**
   * Whether a {@code Range} field asks for one byte range that some representation can satisfy
   * (RFC 9110 §14.1.2), whatever its length: what a cache may pass on to the origin as it is.
   */
  public static boolean single(String field) {
    return decide(field, Long.MAX_VALUE, 1).outcome() == Outcome.PARTIAL;
  }

  /**
   * The one range of a {@code Range} field that names a single bounded range
   * ({@code bytes=first-last}) of at most {@code maxLength} bytes: what can be answered before
   * the representation's length is known (RFC 9110 §14.4 allows {@code *} for it). Empty for
   * anything else (suffix, open-ended, several ranges, another unit, garbage).
   */
  public static java.util.Optional<Range> boundedSingle(String field, long maxLength) {
    if (field == null || field.length() > MAX_FIELD_LENGTH) {
      return java.util.Optional.empty();
    }
    String f = field.trim();
    int eq = f.indexOf('=');
    if (eq < 0 || !f.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
      return java.util.Optional.empty();
    }
    String spec = f.substring(eq + 1).trim();
    int dash = spec.indexOf('-');
    if (spec.indexOf(',') >= 0 || dash <= 0) {
      return java.util.Optional.empty();
    }
    long first = digits(spec.substring(0, dash).trim());
    String b = spec.substring(dash + 1).trim();
    long last = b.isEmpty() ? -1 : digits(b);
    if (first < 0 || last < first || last == Long.MAX_VALUE || last - first + 1 > maxLength) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Range(first, last));
  }

  /** A run of digits as a long, clamped at {@code Long.MAX_VALUE}; -1 if not all digits. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return s.isEmpty() ? -1 : (s.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : -1);
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
    }
    return v;
  }
}
