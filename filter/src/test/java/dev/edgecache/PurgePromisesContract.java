package dev.edgecache;

import static dev.edgecache.TestBodies.bytes;
import static dev.edgecache.TestBodies.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.kv.Codec;
import dev.edgecache.kv.KeyValueCache;
import dev.edgecache.spi.CacheStorage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the core API promises of purges and writes, on a store: a purge or delete wins over every
 * write and snapshot that began before it, whether the write holds the key's lock or not and
 * whether anything was stored when the purge came (cascache's generations, Fastly's purge); and
 * the limits every write and read keeps. Each store runs it.
 */
public abstract class PurgePromisesContract {
  private static final Duration TTL = Duration.ofHours(1);
  private EdgeCache cache;
  private KeyValueCache<String> kv;

  /** A new, empty store. */
  protected abstract CacheStorage newStorage();

  private final CountDownLatch lockLapsed = new CountDownLatch(1);

  @BeforeEach
  void open() {
    cache = EdgeCache.builder().storage(newStorage(), true).lockTimeout(Duration.ofMillis(300))
        .maxUserMetadataLength(64).listener(new CacheListener() {
          @Override
          public void lockTimedOut(CacheKey key) {
            lockLapsed.countDown();
          }
        }).build();
    kv = cache.keyValue("kv", Codec.utf8());
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void aDeleteOfAKeyWithNothingStoredDefeatsAGenerationSeenBeforeIt() {
    long seen = kv.generation("k"); // before reading the database
    assertTrue(kv.get("k").isEmpty());
    kv.delete("k"); // a writer changed the database and invalidated
    assertFalse(kv.setIfGeneration("k", "old", seen, TTL), "the write of what was read before the delete loses");
    assertTrue(kv.get("k").isEmpty());
    long now = kv.generation("k");
    assertTrue(kv.setIfGeneration("k", "new", now, TTL), "one seen after the delete wins");
    assertEquals("new", kv.get("k").orElseThrow());
  }

  @Test
  void aPurgeDuringAPlainInsertOfAColdKeyKeepsItFromCommittingVisibly() throws IOException {
    CacheKey key = CacheKey.of("/cold");
    BodySink sink = cache.insert(key, ttl(TTL));
    sink.write(bytes("written before the purge"));
    assertTrue(cache.purge(key), "the insert it stopped counts");
    sink.close();
    assertTrue(cache.lookup(key).isEmpty(), "the purge wins over the slower insert");
  }

  @Test
  void aTagPurgeDuringAPlainInsertReachesItAndEveryLaterOne() throws IOException {
    CacheKey key = CacheKey.of("/tagged");
    WriteOptions tagged = WriteOptions.builder(TTL).surrogateKeys("t").build();
    BodySink sink = cache.insert(key, tagged);
    sink.write(bytes("written before the purge"));
    cache.purgeSurrogateKey("t");
    sink.close();
    assertTrue(cache.lookup(key).isEmpty(), "the tag purge wins over the slower insert");
    TestBodies.put(cache, key, tagged, bytes("after"));
    assertTrue(cache.lookup(key).isPresent());
    assertEquals(1, cache.purgeSurrogateKey("t"), "a later purge of the tag finds the object");
    assertTrue(cache.lookup(key).isEmpty());
  }

  @Test
  void aValueLoadedBeforeADeleteNeverOutlivesItEvenPastTheLockTimeout() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletionStage<String> load = kv.getOrSetAsync("slow", TTL, () -> {
      loading.countDown();
      release.await(20, TimeUnit.SECONDS);
      return "loaded before the delete";
    });
    assertTrue(loading.await(20, TimeUnit.SECONDS));
    // another caller waits for the key, takes it over once the lock lapses, and stores its value
    KeyValueCache<String> other = cache.keyValue("kv", Codec.utf8());
    assertEquals("taken over", other.getOrSetAsync("slow", TTL, () -> "taken over").toCompletableFuture()
        .get(20, TimeUnit.SECONDS));
    assertTrue(lockLapsed.await(20, TimeUnit.SECONDS), "the first load outlived the key's lock");
    kv.delete("slow");
    release.countDown();
    assertEquals("loaded before the delete", load.toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertTrue(kv.get("slow").isEmpty(), "the delete wins over the load that began before it");
  }

  @Test
  void anUpdateKeepsTheLimitOnUserMetadataThatAnInsertKeeps() throws IOException {
    CacheKey key = CacheKey.of("/meta");
    TestBodies.put(cache, key, ttl(TTL), bytes("v"));
    cache.softPurge(key);
    try (CacheEntry owner = cache.transactionLookup(key)) {
      assertTrue(owner.has(LookupState.MUST_INSERT_OR_UPDATE));
      WriteOptions big = WriteOptions.builder(TTL).userMetadata(new byte[65]).build();
      assertThrows(IllegalArgumentException.class, () -> owner.update(big));
      assertThrows(IllegalArgumentException.class, () -> owner.insert(big));
    }
  }

  @Test
  void aRangeAskedForBeforeTheLengthWasKnownThatTheLengthLeavesEmptyIsAReadError() throws Exception {
    CacheKey key = CacheKey.of("/growing");
    CacheEntry owner = cache.transactionLookup(key);
    BodySink sink = owner.insert(ttl(TTL)); // no declared length
    sink.write(bytes("0123456789"));
    CompletableFuture<CacheEntry> follower = cache.transactionLookupNowOrLater(key,
        LookupOptions.builder().alwaysUseRequestedRange(true).build()).toCompletableFuture();
    try (CacheEntry reader = follower.get(20, TimeUnit.SECONDS);
        InputStream past = reader.body(BodyRange.of(100, 199))) {
      sink.close();
      owner.close();
      assertThrows(IOException.class, past::readAllBytes, "Fastly: a read error, not an empty body");
    }
  }
}
