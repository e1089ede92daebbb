package dev.edgecache.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.FailingStorage;
import dev.edgecache.store.memory.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** cascache's bulk operations and hooks on the key-value face. */
class KeyValueBulkTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final FailingStorage store = new FailingStorage(MemoryStorage.builder().build());
  private final EdgeCache cache = EdgeCache.builder().storage(store, true).listener(new CacheListener() {
    @Override
    public void bulkRejected(String namespace, int requested, BulkRejectReason reason) {
      heard.add("bulkRejected " + namespace + " " + requested + " " + reason);
    }

    @Override
    public void generationBumpFailed(CacheKey key, RuntimeException failure) {
      heard.add("generationBumpFailed");
    }

    @Override
    public void invalidateOutage(CacheKey key, RuntimeException bumpFailure, RuntimeException removeFailure) {
      heard.add("invalidateOutage");
    }

    @Override
    public void generationSnapshotFailed(int count, RuntimeException failure) {
      heard.add("generationSnapshotFailed " + count);
    }
  }).build();
  private final KeyValueCache<String> users = cache.keyValue("users", Codec.utf8());

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void aBulkWriteSucceedsOnlyIfEveryObservedGenerationStillHolds() {
    Map<String, Long> seen = users.generations(List.of("a", "b"));
    assertTrue(users.setAllIfGenerations(Map.of("a", "ada", "b", "bob"), seen, TTL));
    assertEquals(Optional.of("ada"), users.get("a"));
    assertEquals(Optional.of("bob"), users.get("b"));

    Map<String, Long> again = users.generations(List.of("a", "b"));
    users.delete("b"); // the source of b changed since the snapshot
    assertFalse(users.setAllIfGenerations(Map.of("a", "ada2", "b", "bob2"), again, TTL));
    assertEquals(Optional.of("ada"), users.get("a"), "none is written");
    assertTrue(users.get("b").isEmpty());
    assertEquals(List.of("bulkRejected users 2 GENERATION_MISMATCH"), heard);
  }

  @Test
  void aBulkWriteWithoutAnObservedGenerationIsTheCallersErrorAndWritesNothing() {
    MissingGenerationsException e = assertThrows(MissingGenerationsException.class,
        () -> users.setAllIfGenerations(Map.of("a", "ada", "b", "bob"), users.generations(List.of("a")), TTL));
    assertEquals(List.of("b"), e.keys());
    assertTrue(users.get("a").isEmpty());
    assertEquals(List.of("bulkRejected users 2 MISSING_OBSERVED_GENERATION"), heard);
  }

  @Test
  void aBulkReadGivesValuesAndMissingKeys() {
    users.set("a", "ada", TTL);
    BulkRead<String> read = users.getBulk(List.of("a", "b", "a"));
    assertEquals(Map.of("a", "ada"), read.values());
    assertEquals(List.of("b"), read.missing());
    assertTrue(read.rejected().isEmpty());
  }

  @Test
  void aBulkReadWhoseGenerationsCannotBeReadIsRejected() {
    users.set("a", "ada", TTL);
    store.failGenerations = true;
    BulkRead<String> read = users.getBulk(List.of("a"));
    assertEquals(Optional.of(BulkRejectReason.GENERATION_SNAPSHOT_ERROR), read.rejected());
    assertTrue(read.values().isEmpty());
    assertTrue(heard.contains("generationSnapshotFailed 1"), heard.toString());
    assertTrue(heard.contains("bulkRejected users 1 GENERATION_SNAPSHOT_ERROR"), heard.toString());
  }

  @Test
  void aDeleteWhoseGenerationCannotMoveSaysSoAndStillRemovesTheValue() {
    users.set("a", "ada", TTL);
    store.failGenerations = true;
    users.delete("a");
    assertTrue(heard.contains("generationBumpFailed"), heard.toString());
    store.failGenerations = false;
    assertTrue(users.get("a").isEmpty(), "the value is removed all the same");
  }

  @Test
  void aDeleteThatCanNeitherMoveTheGenerationNorRemoveSaysItIsAnOutage() {
    users.set("a", "ada", TTL);
    store.failGenerations = true;
    store.failWrites = true;
    users.delete("a");
    assertTrue(heard.contains("invalidateOutage"), heard.toString());
  }
}
