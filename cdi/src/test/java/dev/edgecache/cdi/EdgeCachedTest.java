package dev.edgecache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** The {@code @EdgeCached} interceptor, with counted method runs and real threads. */
class EdgeCachedTest {
  @ApplicationScoped
  public static class Catalogue {
    final AtomicInteger runs = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean fail;

    @EdgeCached(maxAge = 60)
    public String describe(String sku, int size) throws InterruptedException {
      runs.incrementAndGet();
      gate.await(30, TimeUnit.SECONDS);
      if (fail) {
        throw new IllegalStateException("origin down");
      }
      return sku + "/" + size + "#" + runs.get();
    }

    @EdgeCached(key = "price:{0}", maxAge = 10, staleWhileRevalidate = 60)
    public Long price(String sku) {
      return 100L + runs.incrementAndGet();
    }

    public int runs() {
      return runs.get();
    }

    public void gate(CountDownLatch value) {
      gate = value;
    }

    public void fail(boolean value) {
      fail = value;
    }
  }

  private static WeldContainer container() {
    return new Weld().disableDiscovery().addExtension(new EdgeCacheExtension())
        .addBeanClasses(EdgeCacheProducer.class, EdgeCachedCalls.class, EdgeCachedInterceptor.class, Catalogue.class)
        .initialize();
  }

  @Test
  void concurrentCallsWithOneKeyRunTheMethodOnceAndOtherArgumentsAreOtherKeys() throws Exception {
    try (WeldContainer weld = container()) {
      Catalogue c = weld.select(Catalogue.class).get();
      CountDownLatch gate = new CountDownLatch(1);
      c.gate(gate);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> c.describe("a", 1)));
      }
      Thread.sleep(200); // let them all arrive; the assertion below holds however they interleave
      gate.countDown();
      for (Future<String> f : results) {
        assertEquals("a/1#1", f.get(30, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertEquals(1, c.runs(), "one run for sixteen concurrent callers");
      assertEquals("a/1#1", c.describe("a", 1), "later calls are hits");
      assertEquals("a/2#2", c.describe("a", 2), "other arguments, another key");
      assertEquals(2, c.runs());
    }
  }

  @Test
  void anExceptionReachesEveryWaiterAndIsNotCached() throws Exception {
    try (WeldContainer weld = container()) {
      Catalogue c = weld.select(Catalogue.class).get();
      CountDownLatch gate = new CountDownLatch(1);
      c.gate(gate);
      c.fail(true);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> c.describe("b", 1)));
      }
      Thread.sleep(200);
      gate.countDown();
      int failed = 0;
      for (Future<String> f : results) {
        try {
          f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertTrue(String.valueOf(e.getCause()).contains("origin down"), String.valueOf(e.getCause()));
          failed++;
        }
      }
      pool.shutdown();
      assertEquals(8, failed, "every caller got the error");
      c.fail(false);
      int before = c.runs();
      assertTrue(c.describe("b", 1).startsWith("b/1#"), "the error was not cached");
      assertEquals(before + 1, c.runs());
    }
  }

  @Test
  void aStaleValueIsServedWhileOneBackgroundCallRefreshesIt() throws Exception {
    try (WeldContainer weld = container()) {
      AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
      weld.select(EdgeCachedCalls.class).get().clock(new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public long millis() {
          return now.get();
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      });
      Catalogue c = weld.select(Catalogue.class).get();
      assertEquals(101L, c.price("p"));
      assertEquals(101L, c.price("p"), "fresh: a hit");
      now.addAndGet(15_000); // past max-age 10 s, within stale-while-revalidate 60 s
      assertEquals(101L, c.price("p"), "stale: served at once");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.runs() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(2, c.runs(), "one background refresh");
      long refreshed = 0;
      while (refreshed != 102L && System.nanoTime() < deadline) {
        refreshed = c.price("p");
        Thread.sleep(10);
      }
      assertEquals(102L, refreshed, "the refreshed value replaces the stale one");
    }
  }
}
