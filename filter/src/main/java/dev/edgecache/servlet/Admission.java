package dev.edgecache.servlet;

import dev.edgecache.CacheKey;

/**
 * Admission ({@code min-uses}): a response is stored only once its key has been asked for at
 * least that many times lately, as nginx's {@code proxy_cache_min_uses} and Traffic Server's
 * {@code cache_promote} do, so that URLs asked for once (a crawler's, a campaign's unique links)
 * do not push out of the store the objects that are asked for again. Requests are counted in a
 * {@link FrequencySketch} sized for the store; "lately" is the sketch's window, ten requests for
 * each key it is sized for. With {@code min-uses} 1 (the default) every storable response is
 * stored and nothing is counted.
 */
final class Admission {
  /** The bytes of store per key the sketch is sized for: a small object's. */
  static final long BYTES_PER_KEY = 8 * 1024;

  private final int minUses;
  private final FrequencySketch uses;

  /**
   * @param minUses the requests a key needs before its response is stored, 1 to {@value FrequencySketch#MAX_COUNT}
   * @param capacityBytes the store's capacity, which sizes the sketch
   */
  Admission(int minUses, long capacityBytes) {
    this.minUses = minUses;
    this.uses = minUses > 1 ? new FrequencySketch((int) Math.min(1 << 24, Math.max(1024, capacityBytes / BYTES_PER_KEY)))
        : null;
  }

  /** Counts a request that looks {@code key} up. */
  void asked(CacheKey key) {
    if (uses != null) {
      uses.increment(hash(key.bytes()));
    }
  }

  /** Whether a response for {@code key}, asked for as counted, may be stored now. */
  boolean admits(CacheKey key) {
    return uses == null || uses.frequency(hash(key.bytes())) >= minUses;
  }

  /** FNV-1a over the key's bytes: the sketch mixes it with its own seed. */
  private static long hash(byte[] key) {
    long h = 0xcbf2_9ce4_8422_2325L;
    for (byte b : key) {
      h ^= b & 0xff;
      h *= 0x100_0000_01b3L;
    }
    return h;
  }
}
