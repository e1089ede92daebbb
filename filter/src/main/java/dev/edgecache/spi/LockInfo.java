package dev.edgecache.spi;

/**
 * What a store knows of a held lock.
 *
 * @param token the holder's token
 * @param expiresAtMillis wall-clock time at which the lease runs out and the lock may be taken over
 * @param writeTag the holder's streaming write tag, once it has started writing; else null
 */
public record LockInfo(String token, long expiresAtMillis, byte[] writeTag) {
  /** Whether the holder has started a streaming write that readers can follow. */
  public boolean writing() {
    return writeTag != null;
  }
}
