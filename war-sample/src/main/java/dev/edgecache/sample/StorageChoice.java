package dev.edgecache.sample;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.store.ehcache.EhcacheStorage;
import dev.edgecache.store.memory.MemoryStorage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;

/**
 * The store the sample runs on, from its three options: {@code memory} (the default) or
 * {@code ehcache}; an {@code ehcache.xml} for the Ehcache store; a Terracotta URI that puts the
 * Ehcache store's shared caches on a cluster. Shared by the sample application and the launcher's
 * reverse-proxy mode.
 */
public final class StorageChoice {
  private StorageChoice() {}

  /**
   * The Ehcache store's sizes, so that the common cases need no {@code ehcache.xml}; -1 leaves
   * one at the store's default.
   *
   * @param clusterMb each clustered cache's pool on the Terracotta server (five of them)
   * @param offheapMb each off-heap tier (four of them, two on a cluster); 0 for none
   * @param diskMb each disk tier (objects and chunks), one JVM only
   * @param heapEntries object records on heap
   */
  public record Sizes(long clusterMb, long offheapMb, long diskMb, long heapEntries) {
    /** Every size at the store's default. */
    public static final Sizes DEFAULT = new Sizes(-1, -1, -1, -1);

    /** Whether any size was given. */
    public boolean any() {
      return clusterMb >= 0 || offheapMb >= 0 || diskMb >= 0 || heapEntries >= 0;
    }

    void applyTo(EhcacheStorage.Builder b) {
      if (clusterMb >= 0) {
        b.clusterMb(clusterMb);
      }
      if (offheapMb >= 0) {
        b.offheapMb(offheapMb);
      }
      if (diskMb >= 0) {
        b.diskMb(diskMb);
      }
      if (heapEntries >= 0) {
        b.heapEntries(heapEntries);
      }
    }
  }

  /** As {@link #build(String, URL, String, long, Sizes, long)} with the default sizes. */
  public static CacheStorage build(String store, URL ehcacheXml, String cluster, long maxObjectMb) {
    return build(store, ehcacheXml, cluster, maxObjectMb, Sizes.DEFAULT, 0);
  }

  /** As {@link #build(String, URL, String, long, Sizes, long)} with the memory store's default size. */
  public static CacheStorage build(String store, URL ehcacheXml, String cluster, long maxObjectMb, Sizes sizes) {
    return build(store, ehcacheXml, cluster, maxObjectMb, sizes, 0);
  }

  /**
   * @param store "memory" or "ehcache" (null: memory, unless a cluster is given)
   * @param ehcacheXml the Ehcache configuration, or null for heap + off-heap + disk tiers made
   *     here
   * @param cluster a {@code terracotta://host:port/entity} URI, or null
   * @param maxObjectMb the largest object stored, in MiB, or 0 for the store's default (16 MiB in
   *     memory, 64 MiB on Ehcache)
   * @param sizes the Ehcache store's sizes ({@code --cluster-mb} and the like)
   * @param memoryBytes the memory store's capacity ({@code capacity-bytes}), or 0 for its
   *     default, a quarter of the heap
   * @throws IllegalArgumentException for an unknown store or a bad option
   */
  public static CacheStorage build(String store, URL ehcacheXml, String cluster, long maxObjectMb, Sizes sizes,
      long memoryBytes) {
    return build(store, ehcacheXml, cluster, maxObjectMb, sizes, memoryBytes, null);
  }

  /** The memory store's body files when none are sized: 1 GiB. */
  public static final long DEFAULT_BODY_FILES_MB = 1024;

  /**
   * As {@link #build(String, URL, String, long, Sizes, long)}, with {@code bodyFiles}: a
   * directory for the memory store's large bodies ({@code --disk-dir}), or null for none; the
   * memory store then takes {@code --disk-mb} as their capacity ({@value #DEFAULT_BODY_FILES_MB}
   * MiB by default).
   */
  public static CacheStorage build(String store, URL ehcacheXml, String cluster, long maxObjectMb, Sizes sizes,
      long memoryBytes, java.nio.file.Path bodyFiles) {
    long maxBytes = maxObjectMb * 1024 * 1024;
    String s = store == null || store.isBlank() ? (cluster == null ? "memory" : "ehcache") : store.trim();
    switch (s) {
      case "memory" -> {
        boolean onlyDiskSize = bodyFiles != null && sizes.clusterMb() < 0 && sizes.offheapMb() < 0
            && sizes.heapEntries() < 0;
        if (cluster != null || ehcacheXml != null || (sizes.any() && !onlyDiskSize)) {
          throw new IllegalArgumentException(
              "--cluster, --ehcache-config and the size options (--cluster-mb, --offheap-mb, --disk-mb,"
                  + " --heap-entries) need --store ehcache; --disk-mb with the memory store sizes --disk-dir");
        }
        MemoryStorage.Builder b = MemoryStorage.builder();
        if (bodyFiles != null) {
          long mb = sizes.diskMb() > 0 ? sizes.diskMb() : DEFAULT_BODY_FILES_MB;
          b.diskBodies(bodyFiles, mb * 1024 * 1024);
        }
        if (memoryBytes > 0) {
          b.capacityBytes(memoryBytes);
        }
        if (maxBytes > 0) {
          // with body files, a body larger than the heap's share goes to a file (up to --disk-mb)
          long heap = memoryBytes > 0 ? memoryBytes : MemoryStorage.defaultCapacityBytes();
          b.maxObjectSize(bodyFiles == null ? maxBytes : Math.min(maxBytes, heap));
        }
        return b.build();
      }
      case "ehcache" -> {
        if (bodyFiles != null) {
          throw new IllegalArgumentException("--disk-dir is for the memory store's large bodies; the Ehcache"
              + " store's disk tier is sized by --disk-mb or its ehcache.xml");
        }
        if (memoryBytes > 0) {
          throw new IllegalArgumentException("capacity-bytes sizes the memory store; the Ehcache store takes"
              + " --offheap-mb, --disk-mb and --heap-entries");
        }
        if (ehcacheXml != null && sizes.any()) {
          throw new IllegalArgumentException("give --ehcache-config or the size options, not both");
        }
        EhcacheStorage.Builder b = EhcacheStorage.builder();
        if (maxBytes > 0) {
          b.maxObjectSize(maxBytes);
        }
        sizes.applyTo(b);
        if (cluster != null) {
          // the clustered tier's caches are made by the store; an XML file would be a second source
          if (ehcacheXml != null) {
            throw new IllegalArgumentException("give --cluster or --ehcache-config, not both");
          }
          b.cluster(URI.create(cluster.trim()));
        } else if (ehcacheXml != null) {
          b.ehcacheXml(ehcacheXml);
        } else {
          b.diskDirectory(tempDirectory());
        }
        return b.build();
      }
      default -> throw new IllegalArgumentException("--store must be memory or ehcache, not '" + s + "'");
    }
  }

  /** A file name as a URL, with a clear error for one that cannot be read. */
  public static URL file(String name) {
    File f = new File(name);
    if (!f.canRead()) {
      throw new IllegalArgumentException("cannot read the Ehcache configuration " + f.getAbsolutePath());
    }
    try {
      return f.toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  private static File tempDirectory() {
    try {
      File dir = Files.createTempDirectory("edgecache-disk").toFile();
      dir.deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
