package dev.edgecache.servlet;

import dev.edgecache.http.StoredHead;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decoded stored heads, by their bytes. Every hit on an object decodes the same few hundred bytes
 * of head again, so a small direct-mapped table keeps the last head decoded in each slot. It is
 * addressed by content: equal bytes always decode to equal heads, so a slot another object has
 * taken can only miss, never answer for the wrong object. Slots hold immutable pairs, so readers
 * take no lock; a race between two writers costs one decode.
 */
final class HeadCache {
  private static final int SLOTS = 1024;

  private record Slot(byte[] bytes, StoredHead head) {}

  private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

  /**
   * The head these bytes encode, as {@link StoredHead#decode}. The caller hands over
   * {@code bytes} and must not change them afterwards.
   */
  Optional<StoredHead> decode(byte[] bytes) {
    int h = Arrays.hashCode(bytes);
    int i = (h ^ (h >>> 16)) & (SLOTS - 1);
    Slot s = slots.get(i);
    if (s != null && Arrays.equals(s.bytes(), bytes)) {
      return Optional.of(s.head());
    }
    Optional<StoredHead> head = StoredHead.decode(bytes);
    head.ifPresent(decoded -> slots.set(i, new Slot(bytes, decoded)));
    return head;
  }
}
