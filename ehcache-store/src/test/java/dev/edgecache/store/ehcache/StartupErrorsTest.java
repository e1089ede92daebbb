package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A store that cannot start says why and what to do, in one line. */
class StartupErrorsTest {
  @Test
  void offHeapTiersLargerThanTheDirectMemoryAreRefusedNamingTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EhcacheStorage.builder().offheapMb(100_000).build());
    assertTrue(e.getMessage().contains("-XX:MaxDirectMemorySize") && e.getMessage().contains("offheapMb"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }

  @Test
  void theDefaultOffHeapFitsTheDirectMemory() {
    // this JVM has a small direct memory (the build gives it 256 MB): the default must fit
    EhcacheStorage.builder().build().close();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aServerTooSmallForTheClusteredPoolsIsNamedWithTheSizeItNeeds() throws Exception {
    TerracottaServer server = TerracottaServer.start(128);
    try {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> EhcacheStorage.builder().cluster(server.uri("too-small")).clusterMb(64).offheapMb(0).build());
      assertTrue(e.getMessage().contains("-offheap-resources main:320MB") && e.getMessage().contains("clusterMb"),
          e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), "one line");
    } finally {
      server.stop();
    }
  }
}
