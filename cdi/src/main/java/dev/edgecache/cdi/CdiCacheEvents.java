package dev.edgecache.cdi;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.servlet.OutcomeListener;
import dev.edgecache.servlet.RequestOutcome;
import jakarta.enterprise.event.Event;

/**
 * The cache's listener hooks as CDI events: each event is fired synchronously when the application
 * observes its type with {@code @Observes}, and asynchronously when with {@code @ObservesAsync}.
 * The extension tells which observers exist when the container starts; an event type without
 * observers costs one field read.
 */
final class CdiCacheEvents implements CacheListener, OutcomeListener {
  private final Event<Object> events;
  private final EdgeCacheExtension.Observed purged;
  private final EdgeCacheExtension.Observed outcomes;

  CdiCacheEvents(Event<Object> events, EdgeCacheExtension.Observed purged, EdgeCacheExtension.Observed outcomes) {
    this.events = events;
    this.purged = purged;
    this.outcomes = outcomes;
  }

  /** Whether any event of this bridge has an observer: without one it need not be installed. */
  boolean observed() {
    return purged.any() || outcomes.any();
  }

  @Override
  public void purged(CacheKey key, boolean soft) {
    fire(purged, new CachePurged(CachePurged.Kind.KEY, key.toString(), soft));
  }

  @Override
  public void surrogateKeyPurged(String surrogateKey, int keys, boolean soft) {
    fire(purged, new CachePurged(CachePurged.Kind.SURROGATE_KEY, surrogateKey, soft));
  }

  @Override
  public void scopePurged(String scope, boolean soft) {
    fire(purged, new CachePurged(CachePurged.Kind.SCOPE, scope, soft));
  }

  /** Fires a request's outcome; the CDI filter's {@link OutcomeListener}, installed only when observed. */
  @Override
  public void outcome(String key, RequestOutcome outcome) {
    fire(outcomes, new CacheOutcome(key, outcome));
  }

  /** Whether request outcomes are observed: without an observer the filter need not tell. */
  boolean outcomesObserved() {
    return outcomes.any();
  }

  private void fire(EdgeCacheExtension.Observed observed, Object event) {
    if (observed.sync()) {
      events.fire(event);
    }
    if (observed.async()) {
      events.fireAsync(event);
    }
  }
}
