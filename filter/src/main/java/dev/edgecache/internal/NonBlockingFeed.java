package dev.edgecache.internal;

import dev.edgecache.BodyFeed;
import dev.edgecache.spi.StoredObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link BodyFeed} on a body cursor. A store whose reader follows a write without waiting is
 * polled directly and tells the feed when the writer moves on; for other stores, the next chunk
 * of an unfinished object is read ahead, blocking, on a thread of the cache's own, so that the
 * feed's reader still holds none.
 */
final class NonBlockingFeed implements BodyFeed {
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final BodyCursor cursor;
  private final Executor blockingReads;
  /** What a read ahead produced, not yet polled: bytes, {@link #END}, or null. */
  private volatile ByteBuffer ahead;
  private volatile IOException failure;
  private volatile boolean readingAhead;

  NonBlockingFeed(StoredObject object, long start, long endExclusive, Executor blockingReads) {
    this.cursor = new BodyCursor(object, start, endExclusive);
    this.blockingReads = blockingReads;
  }

  @Override
  public ByteBuffer poll() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw f;
    }
    ByteBuffer a = ahead;
    if (a != null) {
      ahead = null;
      return a == END ? null : a;
    }
    if (readingAhead || !cursor.followsWithoutWaiting()) {
      return NOTHING;
    }
    return cursor.next(false);
  }

  @Override
  public void whenReady(Runnable ready) {
    if (ahead != null || failure != null) {
      ready.run();
      return;
    }
    try {
      if (cursor.followsWithoutWaiting()) {
        cursor.handler().whenReadable(ready);
        return;
      }
    } catch (IOException e) {
      failure = e;
      ready.run();
      return;
    }
    if (readingAhead) {
      return; // the read under way tells its own caller; a feed has one reader
    }
    readingAhead = true;
    try {
      blockingReads.execute(() -> {
        try {
          ByteBuffer next = cursor.next(true);
          ahead = next == null ? END : next;
        } catch (IOException e) {
          failure = e;
        } finally {
          readingAhead = false;
        }
        ready.run();
      });
    } catch (RejectedExecutionException closed) {
      readingAhead = false;
      failure = new IOException("the cache is closed");
      ready.run();
    }
  }

  @Override
  public void close() {
    cursor.close();
  }
}
