package dev.edgecache.store.ehcache;

import static dev.edgecache.store.ehcache.EhcacheStorage.CHUNKS;
import static dev.edgecache.store.ehcache.EhcacheStorage.COUNTERS;
import static dev.edgecache.store.ehcache.EhcacheStorage.INDEX;
import static dev.edgecache.store.ehcache.EhcacheStorage.LOCKS;
import static dev.edgecache.store.ehcache.EhcacheStorage.OBJECTS;
import static dev.edgecache.store.ehcache.EhcacheStorage.VOLATILE_CHUNKS;
import static dev.edgecache.store.ehcache.EhcacheStorage.VOLATILE_OBJECTS;

import java.io.File;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.ehcache.CacheManager;
import org.ehcache.clustered.client.config.builders.ClusteredResourcePoolBuilder;
import org.ehcache.clustered.client.config.builders.ClusteredStoreConfigurationBuilder;
import org.ehcache.clustered.client.config.builders.ClusteringServiceConfigurationBuilder;
import org.ehcache.clustered.client.config.builders.TimeoutsBuilder;
import org.ehcache.clustered.common.Consistency;
import org.ehcache.config.ResourceType;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;

/**
 * The caches the store needs, as one CacheManager made from the builder's sizes: in one JVM,
 * heap, off-heap and disk tiers; on a cluster, a dedicated pool on the server for each shared
 * cache, with a heap tier in front and strong consistency, the sensitive caches staying in the
 * JVM. It also says, in one line, what a failure to start means and how to fix it: Ehcache names
 * only the cache whose creation failed, the cause being deep in its chain or in the server's log.
 */
final class Topology {
  /** The clustered caches, each with a dedicated pool of {@code clusterMb} on the server. */
  static final int CLUSTERED_POOLS = 5;

  private final URI cluster;
  private final long clusterMb;
  private final long heapEntries;
  private final long heapChunks;
  private final int offheapTiers;
  private final long offheapMb;
  private final long diskMb;
  private final File diskDirectory;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final Duration connectTimeout;
  private final Clock clock;

  /**
   * @param cluster the Terracotta URI, or null for one JVM
   * @param offheapMb each off-heap tier, or -1 to size them from the JVM's direct memory
   * @param diskDirectory where the disk tiers go, or null for none
   */
  Topology(URI cluster, long clusterMb, long heapEntries, long heapChunks, long offheapMb, long diskMb,
      File diskDirectory, Duration readTimeout, Duration writeTimeout, Duration connectTimeout, Clock clock) {
    this.cluster = cluster;
    this.clusterMb = clusterMb;
    this.heapEntries = heapEntries;
    this.heapChunks = heapChunks;
    // Four caches have off-heap tiers in one JVM; on a cluster only the two volatile ones.
    this.offheapTiers = cluster == null ? 4 : 2;
    this.offheapMb = offheapMb >= 0 ? offheapMb : DirectMemory.defaultOffheapMbEach(offheapTiers);
    this.diskMb = diskMb;
    this.diskDirectory = diskDirectory;
    this.readTimeout = readTimeout;
    this.writeTimeout = writeTimeout;
    this.connectTimeout = connectTimeout;
    this.clock = clock;
  }

  /**
   * This topology with another connection timeout: the one a rebuilt manager connects with, short,
   * since an attempt made while the server was gone does not notice it come back before its
   * timeout ends.
   */
  Topology withConnectTimeout(Duration value) {
    return new Topology(cluster, clusterMb, heapEntries, heapChunks, offheapMb, diskMb, diskDirectory,
        readTimeout, writeTimeout, value, clock);
  }

  /**
   * The manager's builder, ready to build: checked against the JVM's direct memory, and with a
   * disk tier left by an earlier run cleaned away.
   *
   * @throws IllegalArgumentException if the off-heap tiers cannot fit, naming the fix
   */
  CacheManagerBuilder<? extends CacheManager> managerBuilder() {
    long directMb = DirectMemory.maxBytes() / (1024 * 1024);
    if (offheapMb * offheapTiers > directMb * 3 / 4) {
      throw new IllegalArgumentException("the Ehcache store's off-heap tiers need " + offheapMb * offheapTiers
          + " MB of direct memory and this JVM allows " + directMb + " MB: lower offheapMb (--offheap-mb, now "
          + offheapMb + " per cache) or raise -XX:MaxDirectMemorySize");
    }
    boolean disk = diskDirectory != null && diskMb > 0 && cluster == null;
    if (disk) {
      deleteRecursively(diskDirectory);
    }
    RecordExpiry expiry = new RecordExpiry(clock);
    CacheManagerBuilder<CacheManager> b = CacheManagerBuilder.newCacheManagerBuilder().using(new BoundedDiskWrites());
    CacheManagerBuilder<? extends CacheManager> mb;
    if (cluster != null) {
      mb = b.with(ClusteringServiceConfigurationBuilder.cluster(cluster)
          .timeouts(TimeoutsBuilder.timeouts().read(readTimeout).write(writeTimeout).connection(connectTimeout))
          .autoCreateOnReconnect(server -> server.defaultServerResource("main")));
      mb = mb
          .withCache(OBJECTS, clustered(tiers(heapEntries, 0, 0), expiry))
          .withCache(CHUNKS, clustered(tiers(heapChunks, 0, 0), expiry))
          .withCache(LOCKS, clustered(ResourcePoolsBuilder.newResourcePoolsBuilder(), expiry))
          // a heap tier in front: with strong consistency the server invalidates it before a
          // bump elsewhere returns, so a hit reads its generations without a round trip
          .withCache(COUNTERS, clustered(tiers(heapEntries * 10, 0, 0), null))
          // likewise: a refill finds its key already in the variant and tag sets without a round trip
          .withCache(INDEX, clustered(tiers(heapEntries * 10, 0, 0), null));
    } else {
      mb = disk ? b.with(CacheManagerBuilder.persistence(diskDirectory)) : b;
      mb = mb
          .withCache(OBJECTS, config(tiers(heapEntries, offheapMb, disk ? diskMb : 0), expiry))
          .withCache(CHUNKS, config(tiers(heapChunks, offheapMb, disk ? diskMb : 0), expiry))
          .withCache(LOCKS, config(tiers(heapEntries, 0, 0), expiry))
          .withCache(COUNTERS, config(tiers(heapEntries * 10, 0, 0), null))
          .withCache(INDEX, config(tiers(heapEntries * 10, 0, 0), null));
    }
    return mb
        .withCache(VOLATILE_OBJECTS, config(tiers(heapEntries, offheapMb, 0), expiry))
        .withCache(VOLATILE_CHUNKS, config(tiers(heapChunks, offheapMb, 0), expiry));
  }

  /** What a failure to build this topology's manager means, and its fix, in one line. */
  String explain(RuntimeException e) {
    return explain(e, cluster, clusterMb, connectTimeout, offheapMb * offheapTiers);
  }

  /**
   * What a failure to start means and how to fix it, in one line.
   *
   * @param cluster the cluster's URI, or null
   * @param offheapTotalMb the off-heap tiers asked for, or -1 if unknown (a configuration file's)
   */
  static String explain(RuntimeException e, URI cluster, long clusterMb, Duration connectTimeout, long offheapTotalMb) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("Insufficient defined resources")) {
        return "the Terracotta server cannot reserve the store's " + CLUSTERED_POOLS + " pools of " + clusterMb
            + " MB on its off-heap resource 'main': start it with -offheap-resources main:"
            + CLUSTERED_POOLS * clusterMb + "MB or more, or lower clusterMb (--cluster-mb)";
      }
      if (t instanceof OutOfMemoryError || m.contains("direct memory") || m.contains("Direct buffer")) {
        return "the off-heap tiers" + (offheapTotalMb < 0 ? "" : " (" + offheapTotalMb + " MB)")
            + " do not fit this JVM's direct memory (" + DirectMemory.maxBytes() / (1024 * 1024)
            + " MB): make them smaller or raise -XX:MaxDirectMemorySize";
      }
      if (cluster != null && (t instanceof TimeoutException || m.contains("Connection refused")
          || m.contains("Unable to connect") || m.contains("timed out"))) {
        return "no Terracotta server answered at " + cluster + " within " + connectTimeout.toSeconds()
            + " s: start it, or check the address (" + firstLine(m) + ")";
      }
    }
    return firstLine(String.valueOf(e.getMessage()));
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private CacheConfigurationBuilder<String, Blob> clustered(ResourcePoolsBuilder local, RecordExpiry expiry) {
    ResourcePoolsBuilder pools = local.with(ClusteredResourcePoolBuilder.clusteredDedicated("main", clusterMb, MemoryUnit.MB));
    return config(pools, expiry)
        .withService(ClusteredStoreConfigurationBuilder.withConsistency(Consistency.STRONG))
        .withResilienceStrategy(new FailFastResilience());
  }

  private static ResourcePoolsBuilder tiers(long heap, long offheapMb, long diskMb) {
    ResourcePoolsBuilder r = ResourcePoolsBuilder.newResourcePoolsBuilder().heap(heap, EntryUnit.ENTRIES);
    if (offheapMb > 0) {
      r = r.offheap(offheapMb, MemoryUnit.MB);
    }
    if (diskMb > 0) {
      r = r.disk(diskMb, MemoryUnit.MB, false);
    }
    return r;
  }

  private static CacheConfigurationBuilder<String, Blob> config(ResourcePoolsBuilder tiers, RecordExpiry expiry) {
    CacheConfigurationBuilder<String, Blob> c = CacheConfigurationBuilder
        .newCacheConfigurationBuilder(String.class, Blob.class, tiers)
        .withValueSerializer(new BlobSerializer());
    if (tiers.build().getPoolForResource(ResourceType.Core.DISK) != null) {
      c = c.withService(BoundedDiskWrites.diskStore());
    }
    return expiry == null ? c : c.withExpiry(expiry);
  }

  private static void deleteRecursively(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteRecursively(c);
      }
    }
    if (f.exists() && !f.delete()) {
      throw new IllegalStateException("cannot clean the disk tier at " + f);
    }
  }
}
