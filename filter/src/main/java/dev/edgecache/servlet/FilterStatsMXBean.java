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

  long getOriginFetches();

  long getStored();

  long getBypassed();

  long getBytesFromCache();

  long getBytesFromOrigin();
}
