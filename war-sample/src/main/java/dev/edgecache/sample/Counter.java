package dev.edgecache.sample;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** How many times the origin (a servlet behind the cache) really ran, per page: shown on each page. */
@ApplicationScoped
public class Counter {
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

  /** Counts one more origin call of this page and returns the count. */
  public long next(String page) {
    return calls.computeIfAbsent(page, p -> new AtomicLong()).incrementAndGet();
  }
}
