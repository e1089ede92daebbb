package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.http.StoredHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeadCacheTest {
  private static StoredHead head(int i) {
    return new StoredHead(200, List.of(new StoredHead.Field("content-type", "text/plain"),
        new StoredHead.Field("etag", "\"v" + i + "\"")));
  }

  @Test
  void everyHeadComesBackAsEncodedHoweverTheSlotsAreShared() {
    HeadCache cache = new HeadCache();
    List<StoredHead> heads = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) { // many more heads than slots: slots are taken over
      heads.add(head(i));
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < heads.size(); i++) {
        assertEquals(Optional.of(heads.get(i)), cache.decode(heads.get(i).encode()), "head " + i);
      }
    }
  }

  @Test
  void bytesThatAreNoHeadStayEmpty() {
    HeadCache cache = new HeadCache();
    byte[] garbage = {9, 9, 9};
    assertTrue(cache.decode(garbage).isEmpty());
    assertTrue(cache.decode(garbage.clone()).isEmpty());
  }
}
