package dev.edgecache.store.ehcache;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.CacheKey;
import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import java.io.File;
import java.io.InputStream;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Run in a JVM of its own with a small heap by {@link LargeObjectTest}: writes an object of the
 * given size through an {@link EdgeCache} on the Ehcache store's disk tier, reads it back, and
 * prints {@code OK <bytes> <crc>} when every byte came back in order.
 */
public final class LargeObjectMain {
  private LargeObjectMain() {}

  public static void main(String[] args) throws Exception {
    File dir = new File(args[0]);
    long size = Long.parseLong(args[1]);
    boolean fromXml = args.length > 2 && args[2].equals("xml");
    // Ehcache's disk store is cut into segments that evict on their own: sized at twice the data,
    // no segment fills up (at one and a half times, one did, and the object was dropped whole).
    long diskMb = 2 * (size / (1024 * 1024)) + 1024;
    EhcacheStorage storage = fromXml
        ? EhcacheStorage.builder().ehcacheXml(DiskTierXml.write(new File(dir.getParentFile(), "ehcache.xml").toPath(),
            dir.toPath(), diskMb).toUri().toURL()).maxObjectSize(size).build()
        : EhcacheStorage.builder().heapEntries(100).heapChunks(4).offheapMb(8)
            .diskMb(diskMb).diskDirectory(dir).maxObjectSize(size).build();
    try (EdgeCache cache = EdgeCache.builder().storage(storage, true).listener(new dev.edgecache.CacheListener() {
      @Override
      public void selfHealed(CacheKey k, dev.edgecache.SelfHealReason reason) {
        System.out.println("SELF-HEAL " + reason);
      }

      @Override
      public void storageFailed(String operation, CacheKey k, RuntimeException failure) {
        System.out.println("STORAGE-FAILED " + operation + " " + failure);
      }
    }).build()) {
      CacheKey key = CacheKey.of("/large");
      byte[] block = new byte[1024 * 1024];
      CRC32 written = new CRC32();
      try (CacheEntry owner = cache.transactionLookup(key);
           BodySink sink = owner.insert(WriteOptions.builder(Duration.ofHours(1)).length(size).build())) {
        for (long done = 0; done < size; done += block.length) {
          int n = (int) Math.min(block.length, size - done);
          fill(block, done, n);
          written.update(block, 0, n);
          sink.write(block, 0, n);
        }
      }
      CRC32 read = new CRC32();
      long total = 0;
      try (CacheEntry hit = cache.lookup(key).orElseThrow(() -> new IllegalStateException("not stored"));
           InputStream in = hit.body()) {
        int n;
        while ((n = in.read(block)) > 0) {
          read.update(block, 0, n);
          total += n;
        }
      }
      if (total != size || read.getValue() != written.getValue()) {
        System.out.println("MISMATCH " + total + " " + Long.toHexString(read.getValue()) + " vs "
            + Long.toHexString(written.getValue()));
        System.exit(2);
      }
      long heapMax = Runtime.getRuntime().maxMemory();
      long peak = 0;
      for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println("OK " + total + " " + Long.toHexString(read.getValue()) + " heap-max " + heapMax
          + " heap-peak " + peak);
    }
    System.exit(0);
  }

  /** Bytes that depend on their position, so that a misplaced chunk changes the checksum. */
  private static void fill(byte[] block, long offset, int n) {
    for (int i = 0; i < n; i++) {
      long p = offset + i;
      block[i] = (byte) (p ^ (p >>> 8) ^ (p >>> 24));
    }
  }
}
