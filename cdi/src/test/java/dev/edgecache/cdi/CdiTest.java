package dev.edgecache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import dev.edgecache.kv.KeyValueCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** Injection, key-value faces with their codecs, purge events both ways, shutdown, definition errors. */
class CdiTest {
  /** A value type of the application's. */
  public record Price(String sku, long cents) implements Serializable {}

  @Singleton
  public static class Shop {
    @Inject
    EdgeCache cache;

    @Inject
    KeyValueCache<Price> prices;

    @Inject
    KeyValueCache<String> names;

    @Inject
    Event<PurgeRequest> purges;
  }

  @Singleton
  public static class PurgeWatcher {
    final List<CachePurged> seen = new CopyOnWriteArrayList<>();
    final CountDownLatch async = new CountDownLatch(1);

    void onPurge(@Observes CachePurged purged) {
      seen.add(purged);
    }

    void onPurgeAsync(@ObservesAsync CachePurged purged) {
      async.countDown();
    }
  }

  private static WeldContainer container(Class<?>... beans) {
    return new Weld().disableDiscovery().addExtension(new EdgeCacheExtension())
        .addBeanClasses(EdgeCacheProducer.class, EdgeCachedCalls.class, EdgeCachedInterceptor.class)
        .addBeanClasses(beans).initialize();
  }

  @Test
  void oneApplicationCacheAndTypedKeyValueFacesAreInjected() throws Exception {
    try (WeldContainer weld = container(Shop.class)) {
      Shop shop = weld.select(Shop.class).get();
      assertSame(weld.select(EdgeCache.class).get().keyValue("x", dev.edgecache.kv.Codec.utf8()).getClass(),
          shop.cache.keyValue("y", dev.edgecache.kv.Codec.utf8()).getClass());
      shop.prices.set("a", new Price("a", 199), Duration.ofMinutes(1));
      assertEquals(new Price("a", 199), shop.prices.get("a").orElseThrow());
      shop.names.set("a", "apple", Duration.ofMinutes(1));
      assertEquals("apple", shop.names.get("a").orElseThrow());
      assertFalse(shop.prices.exists("b"));
      // String and Price values live in namespaces of their own
      assertFalse(shop.names.get("b").isPresent());
    }
  }

  @Test
  void purgeEventsAreFiredAndAPurgeRequestPurges() throws Exception {
    try (WeldContainer weld = container(Shop.class, PurgeWatcher.class)) {
      Shop shop = weld.select(Shop.class).get();
      PurgeWatcher watcher = weld.select(PurgeWatcher.class).get();
      CacheKey key = CacheKey.of("/page");
      try (BodySink sink = shop.cache.insert(key, WriteOptions.builder(Duration.ofMinutes(1)).build())) {
        sink.write(new byte[] {1});
      }
      shop.purges.fire(PurgeRequest.key(key));
      assertTrue(shop.cache.lookup(key).isEmpty(), "the purge request purged");
      assertEquals(1, watcher.seen.size());
      assertEquals(CachePurged.Kind.KEY, watcher.seen.get(0).kind());
      assertTrue(watcher.async.await(10, TimeUnit.SECONDS), "asynchronous observers get it too");
      shop.purges.fire(PurgeRequest.surrogateKey("product-1").asSoft());
      assertEquals(new CachePurged(CachePurged.Kind.SURROGATE_KEY, "product-1", true), watcher.seen.get(1));
    }
  }

  @Test
  void withoutObserversNoListenerIsInstalled() {
    try (WeldContainer weld = container(Shop.class)) {
      weld.select(Shop.class).get().cache.purge(CacheKey.of("/x"));
      assertEquals(null, weld.select(EdgeCacheProducer.class).get().events());
    }
  }

  @Test
  void theCacheIsClosedWhenTheContainerShutsDown() {
    EdgeCache cache;
    try (WeldContainer weld = container(Shop.class)) {
      cache = weld.select(Shop.class).get().cache;
      cache.lookup(CacheKey.of("/before")); // the contextual instance exists
    }
    assertThrows(RuntimeException.class, () -> cache.lookup(CacheKey.of("/after")),
        "a closed container's cache is no longer usable");
  }

  @ApplicationScoped
  public static class Broken {
    @EdgeCached
    public void nothing() {}
  }

  @Test
  void edgeCachedOnAVoidMethodFailsDeployment() {
    Exception e = assertThrows(Exception.class, () -> container(Broken.class).close());
    assertTrue(messages(e).contains("returns nothing to cache"), messages(e));
  }

  public static class SettingsA {
    @jakarta.enterprise.inject.Produces
    dev.edgecache.servlet.FilterSettings a() {
      return dev.edgecache.servlet.FilterSettings.DEFAULT;
    }
  }

  public static class SettingsB {
    @jakarta.enterprise.inject.Produces
    dev.edgecache.servlet.FilterSettings b() {
      return dev.edgecache.servlet.FilterSettings.DEFAULT;
    }
  }

  @Test
  void twoConfigurationProducersFailDeployment() {
    Exception e = assertThrows(Exception.class, () -> container(SettingsA.class, SettingsB.class).close());
    assertTrue(messages(e).contains("more than one bean of dev.edgecache.servlet.FilterSettings"), messages(e));
  }

  public static class MappingA {
    @jakarta.enterprise.inject.Produces
    FilterMapping a() {
      return FilterMapping.of("/a/*");
    }
  }

  public static class MappingB {
    @jakarta.enterprise.inject.Produces
    FilterMapping b() {
      return FilterMapping.of("/b/*");
    }
  }

  @Test
  void twoFilterMappingsFailDeployment() {
    Exception e = assertThrows(Exception.class, () -> container(MappingA.class, MappingB.class).close());
    assertTrue(messages(e).contains("more than one bean of dev.edgecache.cdi.FilterMapping"), messages(e));
  }

  static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }

  static {
    // keep DefinitionException referenced: it is what Weld reports these problems as
    DefinitionException.class.getName();
  }
}
