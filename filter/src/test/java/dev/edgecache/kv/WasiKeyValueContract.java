package dev.edgecache.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.EdgeCache;
import dev.edgecache.spi.CacheStorage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WASI keyvalue {@code cache} interface ({@code ../shared/reference/wasi-keyvalue-cache-wit.txt})
 * as a contract on the key-value face: one test per operation, named in the interface's words,
 * run on every store.
 */
public abstract class WasiKeyValueContract {
  private static final Duration TTL = Duration.ofMinutes(5);
  private EdgeCache cache;
  private KeyValueCache<String> kv;

  /** A new, empty store. */
  protected abstract CacheStorage newStorage();

  @BeforeEach
  void open() {
    cache = EdgeCache.builder().storage(newStorage(), true).build();
    kv = cache.keyValue("wasi", Codec.utf8());
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void getReturnsNoneForAKeyNeverSetAndTheValueOfAPreviousSet() throws Exception {
    assertEquals(Optional.empty(), kv.getAsync("k").toCompletableFuture().get(20, TimeUnit.SECONDS));
    kv.set("k", "v", TTL);
    assertEquals(Optional.of("v"), kv.get("k"));
  }

  @Test
  void existsSaysWhetherAValueWasSet() throws Exception {
    assertFalse(kv.existsAsync("k").toCompletableFuture().get(20, TimeUnit.SECONDS));
    kv.set("k", "v", TTL);
    assertTrue(kv.exists("k"));
  }

  @Test
  void setUpdatesAPresentKeyInPlace() {
    kv.set("k", "first", TTL);
    kv.set("k", "second", TTL);
    assertEquals(Optional.of("second"), kv.get("k"));
  }

  @Test
  void setWithoutATtlKeepsTheKeyAsIfAVeryLargeTtlWereUsed() {
    kv.set("k", "kept");
    assertEquals(Optional.of("kept"), kv.get("k"));
  }

  @Test
  void getOrSetGivesTheVacancyToOneCallerAndTheValueToTheOthers() throws Exception {
    GetOrSetEntry<String> first = kv.getOrSetEntry("k").toCompletableFuture().get(20, TimeUnit.SECONDS);
    CompletableFuture<GetOrSetEntry<String>> second = kv.getOrSetEntry("k").toCompletableFuture();
    assertTrue(first instanceof GetOrSetEntry.Vacant<String>);
    ((GetOrSetEntry.Vacant<String>) first).vacancy().fill("filled", TTL);
    assertEquals(new GetOrSetEntry.Occupied<>("filled"), second.get(20, TimeUnit.SECONDS));
  }

  @Test
  void vacancyDroppedUnfilledUnblocksTheNextCaller() throws Exception {
    GetOrSetEntry<String> first = kv.getOrSetEntry("k").toCompletableFuture().get(20, TimeUnit.SECONDS);
    CompletableFuture<GetOrSetEntry<String>> second = kv.getOrSetEntry("k").toCompletableFuture();
    ((GetOrSetEntry.Vacant<String>) first).vacancy().close();
    assertTrue(second.get(20, TimeUnit.SECONDS) instanceof GetOrSetEntry.Vacant<String>);
  }

  @Test
  void deleteRemovesTheValue() throws Exception {
    kv.set("k", "v", TTL);
    assertTrue(kv.deleteAsync("k").toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertTrue(kv.get("k").isEmpty());
  }

  @Test
  void aValueIsNeverMaterialisedOutOfThinAir() {
    kv.set("a", "set for a", TTL);
    assertTrue(kv.get("b").isEmpty(), "only what was set for a key is got for it");
    assertEquals(Optional.of("set for a"), kv.get("a"));
  }
}
