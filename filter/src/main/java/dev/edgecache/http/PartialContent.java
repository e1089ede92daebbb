package dev.edgecache.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A stored {@code 206 (Partial Content)} response: the one range of a representation it holds
 * (RFC 9111 §3.3 lets a cache store an incomplete response), and which later ranges it can
 * answer by itself. Pure.
 *
 * <p>Only a 206 with a single {@code Content-Range: bytes first-last/complete-length}, whose
 * complete length is known, describes its bytes well enough to be cut again, and only while its
 * body has the range's length ({@link #describes}); a multipart 206, or one whose length is
 * {@code *}, is not stored.
 *
 * @param first the first byte of the representation held
 * @param last the last byte held
 * @param total the representation's complete length
 */
public record PartialContent(long first, long last, long total) {
  /** The range a stored 206 holds, if it holds one this cache can cut ranges from. */
  public static Optional<PartialContent> of(StoredHead head) {
    if (head.status() != 206) {
      return Optional.empty();
    }
    List<String> ranges = head.values("content-range");
    String type = head.first("content-type");
    if (ranges.size() != 1 || (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/"))) {
      return Optional.empty();
    }
    return parse(ranges.get(0));
  }

  /**
   * Whether a body of {@code bodyLength} bytes is the range held: a 206 whose fields and bytes
   * disagree describes neither, and is neither stored nor served.
   */
  public boolean describes(long bodyLength) {
    return bodyLength == length();
  }

  /** {@code bytes first-last/total} (RFC 9110 §14.4), with every number given. */
  static Optional<PartialContent> parse(String contentRange) {
    String v = contentRange.trim();
    if (v.length() > 100 || !v.regionMatches(true, 0, "bytes ", 0, 6)) {
      return Optional.empty();
    }
    String spec = v.substring(6).trim();
    int dash = spec.indexOf('-');
    int slash = spec.indexOf('/');
    if (dash <= 0 || slash < dash) {
      return Optional.empty();
    }
    try {
      long first = number(spec.substring(0, dash));
      long last = number(spec.substring(dash + 1, slash));
      long total = number(spec.substring(slash + 1));
      if (first > last || last >= total) {
        return Optional.empty();
      }
      return Optional.of(new PartialContent(first, last, total));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long number(String s) {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException(s);
    }
    return Long.parseLong(s);
  }

  /** The bytes held. */
  public long length() {
    return last - first + 1;
  }

  /** Whether it holds the whole representation. */
  public boolean whole() {
    return first == 0 && last == total - 1;
  }

  /**
   * The range of the representation a request's {@code Range} field asks for, if it is one range
   * and lies wholly within the bytes held (RFC 9111 §3.4's "satisfy the request" from what is
   * stored); empty otherwise, and the request must go to the origin.
   */
  public Optional<ByteRanges.Range> answers(String rangeField) {
    ByteRanges.Decision d = ByteRanges.decide(rangeField, total, 1);
    if (d.outcome() != ByteRanges.Outcome.PARTIAL) {
      return Optional.empty();
    }
    ByteRanges.Range r = d.ranges().get(0);
    return r.first() >= first && r.last() <= last ? Optional.of(r) : Optional.empty();
  }
}
