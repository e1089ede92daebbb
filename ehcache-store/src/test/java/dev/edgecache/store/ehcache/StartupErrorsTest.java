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
  void aConfigurationThatPutsSensitiveObjectsOnADiskIsRefusedNamingTheCache(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    String xml;
    try (java.io.InputStream in = getClass().getResourceAsStream("/edge-ehcache.xml")) {
      xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    xml = xml.replace("<config xmlns=\"http://www.ehcache.org/v3\">",
            "<config xmlns=\"http://www.ehcache.org/v3\"><persistence directory=\"" + dir.resolve("disk") + "\"/>")
        .replace("<cache alias=\"edge-volatile-chunks\" uses-template=\"edge-records\">\n"
            + "    <resources><heap unit=\"entries\">64</heap></resources>",
            "<cache alias=\"edge-volatile-chunks\" uses-template=\"edge-records\">\n"
            + "    <resources><heap unit=\"entries\">64</heap><disk unit=\"MB\">16</disk></resources>");
    assertTrue(xml.contains("<disk unit"), "the test's configuration has its disk tier");
    java.nio.file.Path file = dir.resolve("disk-for-sensitive.xml");
    java.nio.file.Files.writeString(file, xml);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EhcacheStorage.builder().ehcacheXml(file.toUri().toURL()).build());
    assertTrue(e.getMessage().contains("'edge-volatile-chunks'") && e.getMessage().contains("heap and off-heap"),
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
