package dev.edgecache.store.ehcache;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.LookupState;
import dev.edgecache.WriteOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * One application server of a cluster, in a JVM of its own: an {@link EdgeCache} on the clustered
 * Ehcache store, driven by commands on standard input, one per line, each answered by one line on
 * standard output (see {@link TwoNodes}):
 *
 * <ul>
 *   <li>{@code collapse KEY THREADS}: that many concurrent transaction lookups of {@code KEY}; an
 *       owner writes the body (the origin fill), the others read it whole. Answers
 *       {@code ROUND KEY fills=F ok=K bad=B ms=T1,T2,...}, the times to last byte of each reader in
 *       milliseconds from the start of the round, sorted.
 *   <li>{@code own KEY}: takes the key's lock and writes nothing, as an owner that hangs; answers
 *       {@code OWNING KEY}.
 *   <li>{@code lookup KEY}: answers {@code FOUND KEY ok} or {@code FOUND KEY bad} or
 *       {@code MISSING KEY}.
 *   <li>{@code purge KEY}: answers {@code PURGED KEY}.
 * </ul>
 *
 * <p>Arguments: the cluster URI, the body size in bytes, the lock timeout in milliseconds.
 */
public final class ClusterNodeMain {
  private static final int CHUNK = 64 * 1024;

  private final EdgeCache cache;
  private final int size;

  private ClusterNodeMain(EdgeCache cache, int size) {
    this.cache = cache;
    this.size = size;
  }

  public static void main(String[] args) throws Exception {
    URI cluster = URI.create(args[0]);
    int size = Integer.parseInt(args[1]);
    Duration lockTimeout = Duration.ofMillis(Long.parseLong(args[2]));
    EhcacheStorage storage = EhcacheStorage.builder().cluster(cluster).clusterMb(64).offheapMb(0)
        .maxObjectSize(size).build();
    try (EdgeCache cache = EdgeCache.builder().storage(storage, true).lockTimeout(lockTimeout).build()) {
      ClusterNodeMain node = new ClusterNodeMain(cache, size);
      System.out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        System.out.println(node.run(line.split(" ")));
      }
    }
    System.exit(0);
  }

  private String run(String[] command) throws Exception {
    CacheKey key = CacheKey.of(command[1]);
    return switch (command[0]) {
      case "collapse" -> collapse(command[1], Integer.parseInt(command[2]));
      case "own" -> {
        if (!cache.transactionLookup(key).has(LookupState.MUST_INSERT_OR_UPDATE)) {
          throw new IllegalStateException("not the owner of " + key);
        }
        yield "OWNING " + command[1];
      }
      case "lookup" -> {
        Optional<CacheEntry> hit = cache.lookup(key);
        if (hit.isEmpty()) {
          yield "MISSING " + command[1];
        }
        try (CacheEntry e = hit.get()) {
          yield "FOUND " + command[1] + (readWhole(expectedCrc(command[1]), e) ? " ok" : " bad");
        }
      }
      case "purge" -> {
        cache.purge(key);
        yield "PURGED " + command[1];
      }
      default -> throw new IllegalArgumentException("unknown command " + command[0]);
    };
  }

  private String collapse(String path, int threads) throws InterruptedException {
    CacheKey key = CacheKey.of(path);
    AtomicInteger fills = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger bad = new AtomicInteger();
    long[] lastByte = new long[threads];
    long[] owner = new long[2];
    long want = expectedCrc(path); // once per round, not once per reader: readers measure reading
    CountDownLatch done = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      int slot = i;
      pool.execute(() -> {
        try (CacheEntry e = cache.transactionLookup(key)) {
          if (e.has(LookupState.MUST_INSERT_OR_UPDATE)) {
            fills.incrementAndGet();
            owner[0] = System.nanoTime() - start;
            write(path, e);
            owner[1] = System.nanoTime() - start;
            lastByte[slot] = -1; // the owner is not a reader
          } else if (readWhole(want, e)) {
            ok.incrementAndGet();
            lastByte[slot] = System.nanoTime() - start;
          } else {
            bad.incrementAndGet();
          }
        } catch (Exception ex) {
          bad.incrementAndGet();
          ex.printStackTrace();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    pool.shutdown();
    StringBuilder ms = new StringBuilder();
    Arrays.stream(lastByte).filter(t -> t > 0).sorted().forEach(t -> {
      ms.append(ms.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.2f", t / 1e6));
    });
    return "ROUND " + path + " fills=" + fills + " ok=" + ok + " bad=" + bad + " ms=" + ms
        + String.format(java.util.Locale.ROOT, " owner=%.2f,%.2f", owner[0] / 1e6, owner[1] / 1e6);
  }

  private void write(String path, CacheEntry owner) throws Exception {
    byte[] chunk = new byte[CHUNK];
    try (BodySink sink = owner.insert(WriteOptions.builder(Duration.ofMinutes(10)).length(size).build())) {
      for (int done = 0; done < size; done += CHUNK) {
        int n = Math.min(CHUNK, size - done);
        fill(path, chunk, done, n);
        sink.write(chunk, 0, n);
      }
    }
  }

  /** The CRC of the whole body that {@link #write} makes for {@code path}. */
  private long expectedCrc(String path) {
    byte[] expected = new byte[CHUNK];
    CRC32 want = new CRC32();
    for (int done = 0; done < size; done += CHUNK) {
      int n = Math.min(CHUNK, size - done);
      fill(path, expected, done, n);
      want.update(expected, 0, n);
    }
    return want.getValue();
  }

  /** Whether the entry's body has {@link #size} bytes with the CRC {@code want}. */
  private boolean readWhole(long want, CacheEntry entry) throws Exception {
    byte[] buffer = new byte[CHUNK];
    CRC32 got = new CRC32();
    long total = 0;
    try (InputStream in = entry.body()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        got.update(buffer, 0, n);
        total += n;
      }
    }
    return total == size && got.getValue() == want;
  }

  /** Bytes that depend on the key and the position, so that a misplaced or foreign chunk shows. */
  private static void fill(String path, byte[] b, int offset, int n) {
    int seed = path.hashCode();
    for (int i = 0; i < n; i++) {
      int p = offset + i;
      b[i] = (byte) (seed ^ p ^ (p >>> 8) ^ (p >>> 16));
    }
  }
}
