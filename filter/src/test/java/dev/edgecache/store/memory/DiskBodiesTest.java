package dev.edgecache.store.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.CacheKey;
import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;
import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.MissHandler;
import dev.edgecache.spi.ObjectTooLargeException;
import dev.edgecache.spi.StorageException;
import dev.edgecache.spi.StorageKey;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract on the in-memory store with every body of a declared length in a file,
 * and what files add: they go with their records, count against a capacity of their own, and
 * hold bodies larger than the heap's share.
 */
class DiskBodiesTest extends CacheStorageContract {
  @TempDir
  Path temp;
  /** The own tests' directory; the contract's stores each get one of their own. */
  Path dir;

  @org.junit.jupiter.api.BeforeEach
  void ownDirectory() throws IOException {
    dir = Files.createDirectory(temp.resolve("own"));
  }

  @Override
  protected CacheStorage newStorage() {
    try {
      return MemoryStorage.builder().capacityBytes(8L << 20).maxObjectSize(1 << 20)
          .diskBodies(Files.createTempDirectory(temp, "store"), 4L << 20).diskThreshold(0).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MemoryStorage store(Path dir, long diskBytes) {
    return MemoryStorage.builder().capacityBytes(1L << 20).maxObjectSize(64 * 1024)
        .diskBodies(dir, diskBytes).diskThreshold(100_000).build();
  }

  private static byte[] body(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 13 + seed);
    }
    return b;
  }

  private static void write(MemoryStorage s, StorageKey k, byte[] body) throws IOException {
    try (MissHandler m = s.openMiss(k, meta(body.length))) {
      for (int at = 0; at < body.length; at += 70_000) {
        m.write(ByteBuffer.wrap(body, at, Math.min(70_000, body.length - at)));
      }
      m.finish();
    }
  }

  private static long files(Path dir) throws IOException {
    try (Stream<Path> f = Files.list(dir)) {
      return f.count();
    }
  }

  @Test
  void aDirectoryWhereNoFileCanBeMadeFailsTheBuildNamingIt() {
    StorageException e = assertThrows(StorageException.class, () -> store(Path.of("/proc/self"), 1 << 20));
    assertTrue(e.getMessage().startsWith("cannot write body files in /proc/self"), e.getMessage());
  }

  @Test
  void aBodyFarLargerThanTheHeapsShareIsKeptInAFileAndReadBackWhole() throws IOException {
    try (MemoryStorage s = store(dir, 64L << 20)) {
      byte[] big = body(10 << 20, 1);
      StorageKey k = StorageKey.of(CacheKey.of("/big"));
      write(s, k, big);
      assertEquals(1, files(dir));
      assertEquals(10 << 20, s.diskBytesUsed());
      assertTrue(s.bytesUsed() < 64 * 1024, "the heap holds the record only: " + s.bytesUsed());
      StoredObject o = s.lookup(k).orElseThrow();
      assertArrayEquals(big, readAll(o));
      try (HitHandler h = o.openBody()) {
        h.seek(5_000_000, 5_000_010);
        ByteBuffer got = h.read();
        assertEquals(ByteBuffer.wrap(big, 5_000_000, 10), got);
      }
      // a small body stays on the heap; one of unknown length, which could be large, does not
      write(s, StorageKey.of(CacheKey.of("/small")), body(1000, 2));
      assertEquals(1, files(dir));
      try (MissHandler m = s.openMiss(StorageKey.of(CacheKey.of("/chunked")), meta(-1))) {
        m.write(ByteBuffer.wrap(body(1000, 3)));
        m.finish();
      }
      assertEquals(2, files(dir));
    }
    assertEquals(0, files(dir), "closing the store deletes its files");
  }

  @Test
  void filesGoWithTheirRecordsAndAReaderAlreadyReadingFinishes() throws IOException {
    try (MemoryStorage s = store(dir, 64L << 20)) {
      StorageKey k = StorageKey.of(CacheKey.of("/replaced"));
      byte[] first = body(3 << 20, 3);
      write(s, k, first);
      StoredObject old = s.lookup(k).orElseThrow();
      try (HitHandler reading = old.openBody()) {
        ByteBuffer firstChunk = reading.read();
        write(s, k, body(2 << 20, 4)); // replaces it: the old file is deleted
        assertEquals(1, files(dir));
        assertEquals(2 << 20, s.diskBytesUsed());
        ByteBuffer all = ByteBuffer.allocate(first.length).put(firstChunk);
        for (ByteBuffer c = reading.read(); c != null; c = reading.read()) {
          all.put(c);
        }
        assertArrayEquals(first, all.array(), "a reader that had the file open reads it whole");
      }
      try (HitHandler late = old.openBody()) {
        assertThrows(IOException.class, late::read, "a reader of a record gone fails, never reads short");
      }
      try (MissHandler aborted = s.openMiss(StorageKey.of(CacheKey.of("/aborted")), meta(1 << 20))) {
        aborted.write(ByteBuffer.wrap(body(500_000, 5)));
        assertEquals(2, files(dir));
      }
      assertEquals(1, files(dir), "an aborted write leaves no file");
      assertEquals(2 << 20, s.diskBytesUsed());
    }
  }

  @Test
  void filesAreEvictedLeastRecentlyUsedFirstWithinTheirCapacity() throws IOException {
    try (MemoryStorage s = store(dir, 10L << 20)) {
      for (int i = 0; i < 8; i++) {
        write(s, StorageKey.of(CacheKey.of("/f/" + i)), body(2 << 20, i));
        s.lookup(StorageKey.of(CacheKey.of("/f/0"))); // kept in use
      }
      assertTrue(s.diskBytesUsed() <= 10L << 20, Long.toString(s.diskBytesUsed()));
      assertEquals(s.diskBytesUsed() / (2 << 20), files(dir));
      assertTrue(s.lookup(StorageKey.of(CacheKey.of("/f/0"))).isPresent(), "the one in use stays");
      assertTrue(s.lookup(StorageKey.of(CacheKey.of("/f/7"))).isPresent(), "the newest stays");
      assertFalse(s.lookup(StorageKey.of(CacheKey.of("/f/1"))).isPresent(), "the oldest unused goes");
      assertThrows(ObjectTooLargeException.class,
          () -> s.openMiss(StorageKey.of(CacheKey.of("/huge")), meta(11L << 20)));
    }
  }

  @Test
  void aReaderFollowsABodyFileAsItIsWritten() throws Exception {
    try (MemoryStorage s = store(dir, 64L << 20)) {
      StorageKey k = StorageKey.of(CacheKey.of("/streamed"));
      byte[] b = body(1 << 20, 6);
      MissHandler m = s.openMiss(k, meta(b.length));
      StoredObject following = s.lookupStreamingWrite(k, m.writeTag()).orElseThrow();
      ByteBuffer got = ByteBuffer.allocate(b.length);
      Thread reader = new Thread(() -> {
        try (HitHandler h = following.openBody()) {
          for (ByteBuffer c = h.read(); c != null; c = h.read()) {
            got.put(c);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      reader.start();
      for (int at = 0; at < b.length; at += 100_000) {
        m.write(ByteBuffer.wrap(b, at, Math.min(100_000, b.length - at)));
      }
      m.finish();
      reader.join(10_000);
      assertFalse(reader.isAlive());
      assertArrayEquals(b, got.array());
    }
  }

  @Test
  void filesLeftByAnEarlierStoreAreDeletedAndAnUnusableDirectoryIsNamed() throws IOException {
    Files.write(dir.resolve("edgecache-body-7.bin"), new byte[10]);
    Files.write(dir.resolve("notes.txt"), new byte[1]);
    store(dir, 1 << 20).close();
    assertEquals(List.of(dir.resolve("notes.txt")), Files.list(dir).toList());
    Path file = dir.resolve("notes.txt");
    StorageException e = assertThrows(StorageException.class, () -> store(file.resolve("sub"), 1 << 20));
    assertTrue(e.getMessage().contains(file.resolve("sub").toString()), e.getMessage());
  }
}
