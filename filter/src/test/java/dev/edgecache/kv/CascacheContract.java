package dev.edgecache.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.CacheListener;
import dev.edgecache.EdgeCache;
import dev.edgecache.SelfHealReason;
import dev.edgecache.spi.CacheStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cascache's CAS interface ({@code ../shared/reference/cascache-godoc.txt}) as a contract on the
 * key-value face: single reads never return a value a later invalidation removed, writes through
 * generation snapshots never write back what was read before one, bulk results are validated
 * member by member. Named in cascache's words; run on every store.
 */
public abstract class CascacheContract {
  private static final Duration TTL = Duration.ofMinutes(5);
  private final List<SelfHealReason> healed = new CopyOnWriteArrayList<>();
  private EdgeCache cache;
  private KeyValueCache<String> users;

  /** A new, empty store. */
  protected abstract CacheStorage newStorage();

  @BeforeEach
  void open() {
    cache = EdgeCache.builder().storage(newStorage(), true).listener(new CacheListener() {
      @Override
      public void selfHealed(CacheKey key, SelfHealReason reason) {
        healed.add(reason);
      }
    }).build();
    users = cache.keyValue("user", Codec.utf8());
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void getNeverReturnsAValueAnInvalidateRemoved() {
    users.set("1", "ada", TTL);
    users.delete("1");
    assertTrue(users.get("1").isEmpty());
  }

  @Test
  void setWithGenWritesWhileTheObservedGenerationHolds() {
    long gen = users.generation("1");
    assertTrue(users.setIfGeneration("1", "ada", gen, TTL));
    assertEquals(Optional.of("ada"), users.get("1"));
  }

  @Test
  void setWithGenAfterAnInvalidateIsANoOp() {
    long gen = users.generation("1");
    users.delete("1");
    assertFalse(users.setIfGeneration("1", "read before", gen, TTL));
    assertTrue(users.get("1").isEmpty());
  }

  @Test
  void invalidateMovesTheGenerationOnEvenWithNothingStored() {
    long before = users.generation("1");
    users.delete("1");
    assertTrue(users.generation("1") != before, "the generation moved");
  }

  @Test
  void snapshotGensGivesOneGenerationPerUniqueKey() {
    Map<String, Long> gens = users.generations(List.of("1", "2", "1"));
    assertEquals(List.of("1", "2"), List.copyOf(gens.keySet()));
    assertTrue(gens.values().stream().allMatch(g -> g >= 0));
  }

  @Test
  void setBulkWithGensWritesEveryItemOrNone() {
    Map<String, Long> gens = users.generations(List.of("1", "2"));
    users.delete("2");
    assertFalse(users.setAllIfGenerations(Map.of("1", "ada", "2", "bob"), gens, TTL));
    assertTrue(users.get("1").isEmpty() && users.get("2").isEmpty(), "none written");
    Map<String, Long> fresh = users.generations(List.of("1", "2"));
    assertTrue(users.setAllIfGenerations(Map.of("1", "ada", "2", "bob"), fresh, TTL));
    assertEquals(Optional.of("bob"), users.get("2"));
  }

  @Test
  void setBulkWithGensMissingAnObservedGenerationIsErrMissingObservedGens() {
    assertThrows(MissingGenerationsException.class,
        () -> users.setAllIfGenerations(Map.of("1", "ada"), Map.of(), TTL));
  }

  @Test
  void getBulkReturnsValuesAndMissingKeys() {
    users.set("1", "ada", TTL);
    BulkRead<String> read = users.getBulk(List.of("1", "2"));
    assertEquals(Map.of("1", "ada"), read.values());
    assertEquals(List.of("2"), read.missing());
    assertTrue(read.rejected().isEmpty());
  }

  @Test
  void aValueTheCodecCannotDecodeSelfHealsAsValueDecode() {
    users.set("1", "not a number", TTL);
    KeyValueCache<Integer> numbers = cache.keyValue("user", new Codec<>() {
      @Override
      public byte[] encode(Integer value) {
        return Integer.toString(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }

      @Override
      public Integer decode(byte[] bytes) {
        return Integer.parseInt(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    });
    assertTrue(numbers.get("1").isEmpty(), "a value that does not decode is a miss");
    assertEquals(List.of(SelfHealReason.VALUE_DECODE), healed);
    assertTrue(users.get("1").isEmpty(), "and it was dropped");
  }
}
