package dev.edgecache.store.ehcache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.spi.CacheStorage;
import dev.edgecache.spi.CacheStorageContract;
import org.junit.jupiter.api.Test;

/** The storage contract on caches declared in an {@code ehcache.xml}. */
class EhcacheXmlStorageTest extends CacheStorageContract {
  @Override
  protected CacheStorage newStorage() {
    return EhcacheStorage.builder().ehcacheXml(getClass().getResource("/edge-ehcache.xml"))
        .maxObjectSize(1024 * 1024).build();
  }

  @Test
  void aConfigurationWithoutOneOfTheCachesIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EhcacheStorage.builder()
        .ehcacheXml(getClass().getResource("/missing-cache-ehcache.xml")).build());
    assertTrue(e.getMessage().contains("edge-chunks"), e.getMessage());
  }
}
