package dev.edgecache.store.ehcache;

import java.lang.management.ManagementFactory;

/**
 * How much direct memory this JVM allows: Ehcache's off-heap tiers are allocated from it, and a
 * store whose off-heap tiers exceed it fails at start with a message that names only a cache.
 * {@code -XX:MaxDirectMemorySize} if given, else the JVM's default, the maximum heap size.
 */
final class DirectMemory {
  private DirectMemory() {}

  /** The most direct memory this JVM allows, in bytes. */
  static long maxBytes() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      if (hotspot != null) {
        long given = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        if (given > 0) {
          return given;
        }
      }
    } catch (RuntimeException | LinkageError notHotspot) {
      // another JVM: its default is the heap's size too
    }
    return Runtime.getRuntime().maxMemory();
  }

  /**
   * The off-heap MiB for each of {@code tiers} off-heap caches when none was configured: a
   * quarter of the direct memory shared among them (the rest is for the server's own buffers),
   * between 4 and 64 MiB each.
   */
  static long defaultOffheapMbEach(int tiers) {
    long mb = maxBytes() / (1024 * 1024) / 4 / Math.max(1, tiers);
    return Math.max(4, Math.min(64, mb));
  }
}
