package dev.edgecache.store.memory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * The order in which the memory store evicts its records: the order of their commits, where a
 * record read since it was queued goes round once more instead of going (a second chance: the
 * CLOCK algorithm, or FIFO with reinsertion). It keeps what is read as least-recently-used order
 * would, at a constant cost per record; sorting every record by its last read at each eviction
 * cost a full store a sixth of its CPU under a stream of misses on new keys.
 *
 * <p>A record that was replaced or removed leaves its place in the queue behind; the place is
 * dropped when the queue reaches it, or when the queue holds twice as many places as the store
 * holds records (so that a store that never fills does not keep them for ever).
 *
 * @param <K> the key of a record
 * @param <V> a record, compared by identity: a key's later record is a new one
 */
final class EvictionOrder<K, V> {
  private record Place<K, V>(K key, V value, long recency) {}

  /** Places in the order of their commits, or of their second chance; guarded by {@code this}. */
  private final ArrayDeque<Place<K, V>> queue = new ArrayDeque<>();
  private final ToLongFunction<V> recency;
  private final BiPredicate<K, V> live;

  /**
   * @param recency a record's last read or commit, in ticks that only grow
   * @param live whether a record is still the store's for its key
   */
  EvictionOrder(ToLongFunction<V> recency, BiPredicate<K, V> live) {
    this.recency = recency;
    this.live = live;
  }

  /** Queues a record just committed; {@code records} is how many the store holds now. */
  synchronized void add(K key, V value, int records) {
    queue.addLast(new Place<>(key, value, recency.applyAsLong(value)));
    if (queue.size() > 2 * records + 1024) {
      queue.removeIf(p -> !live.test(p.key(), p.value()));
    }
  }

  /**
   * The record to evict next, taken from the queue; null if none is left. A record read since it
   * was queued is queued again, once for each time the queue has gone round: a store whose every
   * record is read meanwhile still gives one.
   *
   */
  synchronized Map.Entry<K, V> next() {
    int chances = queue.size();
    Place<K, V> p;
    while ((p = queue.pollFirst()) != null) {
      if (!live.test(p.key(), p.value())) {
        continue; // replaced or removed since
      }
      long now = recency.applyAsLong(p.value());
      if (now > p.recency() && chances-- > 0) {
        queue.addLast(new Place<>(p.key(), p.value(), now));
        continue;
      }
      return Map.entry(p.key(), p.value());
    }
    return null;
  }

  /** Places in the queue, live or not. */
  synchronized int size() {
    return queue.size();
  }
}
