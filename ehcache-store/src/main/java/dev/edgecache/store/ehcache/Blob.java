package dev.edgecache.store.ehcache;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An immutable byte string as an Ehcache value. Equality is by content, so that Ehcache's
 * compare-and-swap operations ({@code replace(key, old, new)}, {@code remove(key, old)}) work on
 * every tier, including the ones that keep values serialised.
 */
public final class Blob {
  private final byte[] bytes;

  private Blob(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A blob that owns {@code bytes}: the caller must not change them afterwards. */
  public static Blob wrap(byte[] bytes) {
    return new Blob(bytes);
  }

  /** The bytes, shared: callers must not change them. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return bytes.length;
  }

  ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Blob b && Arrays.equals(bytes, b.bytes));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
