package dev.edgecache.kv;

import java.nio.charset.StandardCharsets;

/**
 * Turns values into bytes and back for the {@link KeyValueCache}. Implementations must be
 * thread-safe. {@link #decode} may throw any runtime exception on bytes it cannot read; the cache
 * then drops the entry and reports a miss.
 *
 * @param <V> the value type
 */
public interface Codec<V> {
  byte[] encode(V value);

  V decode(byte[] bytes);

  /** Strings as UTF-8. */
  static Codec<String> utf8() {
    return new Codec<>() {
      @Override
      public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    };
  }

  /** Byte arrays as they are (copied). */
  static Codec<byte[]> bytes() {
    return new Codec<>() {
      @Override
      public byte[] encode(byte[] value) {
        return value.clone();
      }

      @Override
      public byte[] decode(byte[] bytes) {
        return bytes;
      }
    };
  }
}
