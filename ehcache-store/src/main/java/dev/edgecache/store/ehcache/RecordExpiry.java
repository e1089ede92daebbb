package dev.edgecache.store.ehcache;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.ehcache.expiry.ExpiryPolicy;

/**
 * Per-entry expiry from the record itself: each record starts with the moment it may go (the end
 * of the object's last usable window, or of a lock's lease), so objects leave once no rule can
 * serve them, while stale ones stay for stale serving and revalidation.
 */
public final class RecordExpiry implements ExpiryPolicy<String, Blob> {
  private final Clock clock;

  /** On the system clock; the form an {@code ehcache.xml} names. */
  public RecordExpiry() {
    this(Clock.systemUTC());
  }

  RecordExpiry(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Duration getExpiryForCreation(String key, Blob value) {
    long at = Records.expiresAt(value);
    if (at == Long.MAX_VALUE) {
      return ExpiryPolicy.INFINITE;
    }
    long left = at - clock.millis();
    return left <= 0 ? Duration.ZERO : Duration.ofMillis(left);
  }

  @Override
  public Duration getExpiryForAccess(String key, Supplier<? extends Blob> value) {
    return null; // reading does not change an object's life
  }

  @Override
  public Duration getExpiryForUpdate(String key, Supplier<? extends Blob> oldValue, Blob newValue) {
    return getExpiryForCreation(key, newValue);
  }
}
