package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies never need to fit in the heap: an object much larger than the heap goes through the
 * disk tier of a JVM started with {@code -Xmx256m}: a 2 GiB object, eight times the heap, written
 * through {@link dev.edgecache.EdgeCache} and read back byte for byte. (Before the disk writers had
 * back-pressure, Ehcache's unbounded write queue ran such a JVM out of heap.)
 */
class LargeObjectTest {
  static final long SIZE = 2048L * 1024 * 1024;

  @TempDir
  File dir;

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void anObjectEightTimesTheHeapRoundTripsThroughTheDiskTier() throws Exception {
    roundTrip(SIZE, "256m", "builder");
  }

  /**
   * The same from an {@code ehcache.xml}: the store puts the file's disk tiers on its bounded
   * writers too. Half the size in half the heap, to keep the build short.
   */
  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void anObjectEightTimesTheHeapRoundTripsThroughTheDiskTierOfAnEhcacheXml() throws Exception {
    roundTrip(SIZE / 2, "128m", "xml");
  }

  private void roundTrip(long size, String heap, String mode) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(List.of(java, "-Xmx" + heap, "-XX:MaxDirectMemorySize=256m", "-cp", classpath,
        LargeObjectMain.class.getName(), new File(dir, "disk").getAbsolutePath(), Long.toString(size), mode))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), output);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("OK " + size + " "), output);
  }
}
