package dev.edgecache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The primary key of a cached object: an immutable, non-empty byte string.
 *
 * <p>Keys are compared by their bytes. {@link #of(String)} encodes text as UTF-8. The maximum
 * length is a property of the cache ({@link EdgeCacheBuilder#maxKeyLength(int)}), not of the key,
 * so a key is checked when it is used.
 *
 * <p>Instances are thread-safe.
 */
public final class CacheKey {
  private final byte[] bytes;
  private final int hash;

  private CacheKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * A key made of the UTF-8 bytes of {@code key}.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code key} is empty
   */
  public static CacheKey of(String key) {
    Objects.requireNonNull(key, "key must not be null");
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A key made of a copy of {@code key}.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code key} is empty
   */
  public static CacheKey of(byte[] key) {
    Objects.requireNonNull(key, "key must not be null");
    if (key.length == 0) {
      throw new IllegalArgumentException("key must not be empty");
    }
    return new CacheKey(key.clone());
  }

  /** A copy of the key's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes in the key. */
  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof CacheKey other && Arrays.equals(bytes, other.bytes));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /**
   * A printable form for logs: the key as UTF-8 with control characters escaped, cut at 200
   * characters so that a hostile key cannot flood a log line.
   */
  @Override
  public String toString() {
    String text = new String(bytes, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200) + 8);
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (out.length() >= 200) {
      out.append("...");
    }
    return out.toString();
  }
}
