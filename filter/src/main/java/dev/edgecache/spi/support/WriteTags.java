package dev.edgecache.spi.support;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * The write tag of a store that numbers its writes: the write's id as 8 bytes, big-endian. A
 * tag is what {@code MissHandler.writeTag()} gives and {@code lookupStreamingWrite} takes back.
 */
public final class WriteTags {
  private WriteTags() {}

  /** The tag of write {@code id}. */
  public static byte[] of(long id) {
    return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
  }

  /** The write id of {@code tag}; empty for null or a tag of another length (another store's). */
  public static OptionalLong idOf(byte[] tag) {
    if (tag == null || tag.length != Long.BYTES) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(ByteBuffer.wrap(tag).getLong());
  }
}
