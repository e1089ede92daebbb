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
   * @param store "memory" or "ehcache" (null: memory, unless a cluster is given)
   * @param ehcacheXml the Ehcache configuration, or null for heap + off-heap + disk tiers made
   *     here
   * @param cluster a {@code terracotta://host:port/entity} URI, or null
   * @param maxObjectMb the largest object stored, in MiB, or 0 for the store's default (16 MiB in
   *     memory, 64 MiB on Ehcache)
   * @throws IllegalArgumentException for an unknown store or a bad option
   */
  public static CacheStorage build(String store, URL ehcacheXml, String cluster, long maxObjectMb) {
    long maxBytes = maxObjectMb * 1024 * 1024;
    String s = store == null || store.isBlank() ? (cluster == null ? "memory" : "ehcache") : store.trim();
    switch (s) {
      case "memory" -> {
        if (cluster != null || ehcacheXml != null) {
          throw new IllegalArgumentException("--cluster and --ehcache-config need --store ehcache");
        }
        MemoryStorage.Builder b = MemoryStorage.builder();
        if (maxBytes > 0) {
          b.maxObjectSize(maxBytes);
        }
        return b.build();
      }
      case "ehcache" -> {
        EhcacheStorage.Builder b = EhcacheStorage.builder();
        if (maxBytes > 0) {
          b.maxObjectSize(maxBytes);
        }
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
