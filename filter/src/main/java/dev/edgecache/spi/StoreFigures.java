package dev.edgecache.spi;

/**
 * What a store can tell an operator of itself ({@link CacheStorage#figures}); a figure it cannot
 * tell is -1.
 *
 * @param kind what the store is: {@code memory}, {@code ehcache}, {@code ehcache-cluster}...
 * @param available whether its tiers answer now (false while the cache passes requests to the
 *     origin because the store failed)
 * @param records objects and markers held
 * @param bytes bytes held in memory, as the store's capacity counts them
 * @param fileBytes bytes of bodies held in files
 * @param evictions records evicted to make room since the store was built
 * @param capacityBytes the bytes it may hold in memory
 * @param objects the objects with a body among the records (not hit-for-miss markers or vary rules)
 */
public record StoreFigures(String kind, boolean available, long records, long bytes, long fileBytes, long evictions,
    long capacityBytes, long objects) {
  /** Figures without a capacity or a count of objects. */
  public StoreFigures(String kind, boolean available, long records, long bytes, long fileBytes, long evictions) {
    this(kind, available, records, bytes, fileBytes, evictions, -1, -1);
  }

  /** A store that says nothing of itself. */
  public static StoreFigures unknown(String kind) {
    return new StoreFigures(kind, true, -1, -1, -1, -1);
  }
}
