package dev.edgecache;

import java.util.OptionalLong;

/**
 * A byte range of a body, both ends inclusive as in HTTP's {@code Range} (RFC 9110 §14.1.2).
 * Either end may be absent: no {@code from} means from byte 0, no {@code to} means to the end.
 *
 * @param from the first byte, if given
 * @param to the last byte, if given
 */
public record BodyRange(OptionalLong from, OptionalLong to) {
  private static final BodyRange ALL = new BodyRange(OptionalLong.empty(), OptionalLong.empty());

  public BodyRange {
    if (from.isPresent() && from.getAsLong() < 0) {
      throw new IllegalArgumentException("range start must not be negative: " + from.getAsLong());
    }
    if (to.isPresent() && to.getAsLong() < 0) {
      throw new IllegalArgumentException("range end must not be negative: " + to.getAsLong());
    }
    if (from.isPresent() && to.isPresent() && to.getAsLong() < from.getAsLong()) {
      throw new IllegalArgumentException(
          "range end " + to.getAsLong() + " is before its start " + from.getAsLong());
    }
  }

  /** The whole body. */
  public static BodyRange all() {
    return ALL;
  }

  /** Bytes {@code from} to {@code to}, inclusive. */
  public static BodyRange of(long from, long to) {
    return new BodyRange(OptionalLong.of(from), OptionalLong.of(to));
  }

  /** Bytes from {@code from} to the end. */
  public static BodyRange from(long from) {
    return new BodyRange(OptionalLong.of(from), OptionalLong.empty());
  }

  /** Whether this is the whole body. */
  public boolean isAll() {
    return from.isEmpty() && to.isEmpty();
  }
}
