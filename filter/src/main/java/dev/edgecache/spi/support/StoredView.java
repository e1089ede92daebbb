package dev.edgecache.spi.support;

import dev.edgecache.spi.HitHandler;
import dev.edgecache.spi.ObjectMeta;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A stored object made of its parts: its meta, the write that made it, whether its body is complete, its hit counter
 * (none for a write in progress, whose hits are not counted), and how to open its body.
 */
public final class StoredView implements StoredObject {
  /** Opens a reader of the body. */
  @FunctionalInterface
  public interface BodyOpener {
    HitHandler open() throws IOException;
  }

  private final ObjectMeta meta;
  private final long writeId;
  private final BooleanSupplier complete;
  private final AtomicLong hits;
  private final BodyOpener body;

  /**
   * @param writeId the store's number of the write that made the object ({@link StoredObject#writeId})
   * @param complete asked each time: a write in progress completes while it is followed
   * @param hits the object's hit counter, or null for one whose hits are not counted (they read as 0)
   */
  public StoredView(ObjectMeta meta, long writeId, BooleanSupplier complete, AtomicLong hits, BodyOpener body) {
    this.meta = Objects.requireNonNull(meta, "meta");
    this.writeId = writeId;
    this.complete = Objects.requireNonNull(complete, "complete");
    this.hits = hits;
    this.body = Objects.requireNonNull(body, "body");
  }

  @Override
  public ObjectMeta meta() {
    return meta;
  }

  @Override
  public long writeId() {
    return writeId;
  }

  @Override
  public boolean complete() {
    return complete.getAsBoolean();
  }

  @Override
  public long hits() {
    return hits == null ? 0 : hits.get();
  }

  @Override
  public long recordHit() {
    return hits == null ? 0 : hits.incrementAndGet();
  }

  @Override
  public HitHandler openBody() throws IOException {
    return body.open();
  }
}
