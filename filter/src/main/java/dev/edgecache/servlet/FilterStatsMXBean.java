package dev.edgecache.servlet;

/**
 * The filter's counters over JMX, registered as
 * {@code dev.edgecache:type=EdgeCacheFilter,name=<context path and filter name>}.
 */
public interface FilterStatsMXBean {
  long getHits();

  long getMisses();

  long getStaleServed();

  long getCollapsed();

  /** Every request sent to the origin. */
  long getOriginRequests();

  /** Requests sent to the origin to fill or refresh the cache. */
  long getOriginFills();

  long getStored();

  long getBypassed();

  long getBytesFromCache();

  long getBytesFromOrigin();
}
