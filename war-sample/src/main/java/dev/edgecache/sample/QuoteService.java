package dev.edgecache.sample;

import dev.edgecache.cdi.EdgeCached;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application bean whose method result is cached by the CDI interceptor, not by HTTP: fresh
 * for 10 s, then returned stale for 30 s more while one background call refreshes it.
 */
@ApplicationScoped
public class QuoteService {
  private final AtomicLong computed = new AtomicLong();

  /** A slow computation (half a second), run once per SKU however many callers wait. */
  @EdgeCached(key = "quote:{0}", maxAge = 10, staleWhileRevalidate = 30)
  public String quote(String sku) {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "quote for " + sku + ": " + (100 + Math.abs(sku.hashCode() % 900)) + " cents, computation #"
        + computed.incrementAndGet();
  }
}
