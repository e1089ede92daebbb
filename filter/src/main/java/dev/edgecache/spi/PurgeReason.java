package dev.edgecache.spi;

/** Why an object leaves a store (pingora-cache's {@code PurgeType}). */
public enum PurgeReason {
  /** The store is full, or the object is past its last usable moment. */
  EVICTION,
  /** A caller asked for the object to go: a purge, or a self-heal of a damaged object. */
  INVALIDATION
}
