package dev.edgecache.internal;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;

/**
 * A stored object seen with the metadata a soft purge of one of its scopes gives it (stale from
 * that purge on), its body and hit count the store's own.
 */
final class StaleMarked implements StoredObject {
  private final StoredObject stored;
  private final ObjectMeta meta;

  StaleMarked(StoredObject stored, ObjectMeta meta) {
    this.stored = stored;
    this.meta = meta;
  }

  @Override
  public ObjectMeta meta() {
    return meta;
  }

  @Override
  public long writeId() {
    return stored.writeId();
  }

  @Override
  public boolean complete() {
    return stored.complete();
  }

  @Override
  public long hits() {
    return stored.hits();
  }

  @Override
  public long recordHit() {
    return stored.recordHit();
  }

  @Override
  public HitHandler openBody() throws IOException {
    return stored.openBody();
  }
}
