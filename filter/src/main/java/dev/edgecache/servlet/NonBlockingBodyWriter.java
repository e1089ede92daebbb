package dev.edgecache.servlet;

import dev.edgecache.BodyFeed;
import dev.edgecache.CacheEntry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a served body to an async request with non-blocking output, so that neither waiting for
 * a write in progress nor a slow client holds a container thread. The body's parts are read
 * from {@link BodyFeed}s; when the feed is behind, the bytes written so far are flushed and the
 * writer resumes, on a container thread, once the feed has more; when the client is behind, the
 * container calls {@link #onWritePossible} again.
 *
 * <p>One pump runs at a time, whoever asks for it (the container, or the feed's callback): a
 * request made while one runs makes it go round once more.
 *
 * <p>A waiter's writer is resumed on a container thread, since the feed's callback runs on the
 * thread of whoever writes the object, which must not write to every waiter in turn. A fill's own
 * client may instead be written by the writer's thread as each chunk is stored ({@link
 * Mode#OWN_CLIENT}), so that its bytes go out with no handoff between threads, as they would from
 * the application alone. Non-blocking writes never wait for the client, so the fill still goes at
 * the origin's pace.
 */
final class NonBlockingBodyWriter implements WriteListener {
  private static final Logger LOG = Logger.getLogger(NonBlockingBodyWriter.class.getName());
  /** Bytes per write: what a client's buffer is lent, and may hold until the next isReady(). */
  private static final int WRITE_SIZE = 8 * 1024;
  /**
   * Bytes per write of a fill's own client: a whole stored chunk (the memory store's blocks and
   * file reads are at most this), and the copy buffer's size where the stream takes no buffers.
   */
  private static final int INLINE_WRITE_SIZE = 256 * 1024;

  private final AsyncContext async;
  private final CacheEntry entry;
  private final Iterator<CachedResponses.Part> parts;
  private final ServletOutputStream out;
  private final Consumer<IOException> bodyFailed;
  private final Consumer<IOException> failedBeforeFirstByte;
  private final AtomicInteger pumps = new AtomicInteger();
  private final Mode mode;
  /** Whether the container's stream takes a stored chunk's slice without a copy of ours. */
  private final boolean writesBuffers;
  private final int writeSize;
  private byte[] buffer;
  private byte[] literal;
  private BodyFeed feed;
  private ByteBuffer chunk;
  private boolean unflushed;
  private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

  /** Where the bytes written are counted. */
  private final java.util.concurrent.atomic.LongAdder written;

  /** Who writes the body, and when the first write may be made. */
  enum Mode {
    /** A waiter: written once the container calls back; the feed's callbacks hand it to a container thread. */
    WAITER,
    /**
     * A waiter on a container whose non-blocking output takes a write as soon as its listener is
     * set ({@link DispatchOutput}): written at once by the thread that starts it, without waiting
     * for the container's first callback.
     */
    WAITER_AT_ONCE,
    /**
     * A fill's own client, on such a container: written at once by the thread that starts it, and
     * then by the feed's callbacks on the object writer's thread, as each chunk is stored.
     */
    OWN_CLIENT;

    /** The mode of a waiter written through {@code response}. */
    static Mode waiter(jakarta.servlet.ServletResponse response) {
      return DispatchOutput.progressesWithinDispatch(response) ? WAITER_AT_ONCE : WAITER;
    }
  }

  /**
   * @param bodyFailed told when the stored body cannot be read whole (its write failed): the
   *     response must then end as broken, never as complete
   * @param failedBeforeFirstByte told instead when the body failed before its first byte: nothing
   *     was written, the output is not yet non-blocking, and the request may be answered another
   *     way (from the origin)
   * @param mode who writes, and when the first write is made
   */
  NonBlockingBodyWriter(AsyncContext async, CacheEntry entry, List<CachedResponses.Part> parts,
      ServletOutputStream out, java.util.concurrent.atomic.LongAdder written, Consumer<IOException> bodyFailed,
      Consumer<IOException> failedBeforeFirstByte, Mode mode) {
    this.mode = mode;
    // Slices of the stored chunks go only to Jetty's output, whose handling of a buffer lent to a
    // non-blocking write was read; elsewhere each write is a copy, as the waiters were verified with.
    this.writesBuffers = mode != Mode.WAITER && ChunkWriter.writesBuffers(out);
    this.writeSize = mode == Mode.OWN_CLIENT ? INLINE_WRITE_SIZE : WRITE_SIZE;
    this.async = async;
    this.entry = entry;
    this.parts = parts.iterator();
    this.out = out;
    this.written = written;
    this.bodyFailed = bodyFailed;
    this.failedBeforeFirstByte = failedBeforeFirstByte;
  }

  /**
   * Starts writing. The output goes non-blocking once the body has its first bytes (or its end):
   * a body that fails before then can still be answered another way, since a response whose
   * output went non-blocking cannot be written by a blocking application any more.
   */
  void start() {
    try {
      if (literal == null && chunk == null && feed == null && !nextPart()) {
        out.setWriteListener(this); // an empty body: the pump ends it
        return;
      }
      if (literal != null) {
        out.setWriteListener(this);
        return;
      }
      ByteBuffer next = feed.poll();
      if (next == null) {
        feed.close();
        feed = null;
      } else if (next.hasRemaining()) {
        chunk = next;
      } else {
        feed.whenReady(mode == Mode.OWN_CLIENT ? this::startInline : this::startOnContainerThread);
        return;
      }
      out.setWriteListener(this);
      if (mode != Mode.WAITER) {
        // the output takes writes now: no callback to wait for (during a dispatch, Jetty's comes
        // only once the dispatch returns)
        pump();
      }
    } catch (IOException e) {
      if (ended.compareAndSet(false, true)) {
        if (feed != null) {
          feed.close();
        }
        entry.close();
        failedBeforeFirstByte.accept(e);
      }
    }
  }

  private void startInline() {
    if (!ended.get()) {
      start();
    }
  }

  private void startOnContainerThread() {
    if (ended.get()) {
      return;
    }
    try {
      async.start(this::start);
    } catch (IllegalStateException over) {
      end(null); // the request was completed meanwhile (its client went)
    }
  }

  @Override
  public void onWritePossible() {
    pump();
  }

  @Override
  public void onError(Throwable t) {
    // the client's connection failed: nobody is left to write to
    LOG.log(Level.FINE, "client write failed", t);
    end(null);
  }

  private void pump() {
    if (pumps.getAndIncrement() != 0) {
      return;
    }
    int asked = 1;
    do {
      step();
      asked = pumps.addAndGet(-asked);
    } while (asked != 0);
  }

  /** Writes while the client takes bytes and the feed has them, then says who calls back. */
  private void step() {
    try {
      while (!ended.get()) {
        if (!out.isReady()) {
          return; // the container calls onWritePossible when the client has taken the bytes
        }
        if (literal != null) {
          byte[] l = literal;
          literal = null;
          out.write(l);
          written.add(l.length);
          unflushed = true;
          continue;
        }
        if (chunk != null && chunk.hasRemaining()) {
          written.add(writeSome());
          unflushed = true;
          continue;
        }
        if (feed == null && !nextPart()) {
          end(null);
          return;
        }
        if (feed == null) {
          continue;
        }
        ByteBuffer next;
        try {
          next = feed.poll();
        } catch (IOException e) {
          end(e);
          return;
        }
        if (next == null) {
          feed.close();
          feed = null;
        } else if (next.hasRemaining()) {
          chunk = next;
        } else if (unflushed) {
          // the writer is behind: what the client has so far goes out now, not when a buffer fills
          unflushed = false;
          out.flush();
        } else {
          feed.whenReady(mode == Mode.OWN_CLIENT ? this::resumeInline : this::resumeOnContainerThread);
          return;
        }
      }
    } catch (IOException | RuntimeException clientGone) {
      LOG.log(Level.FINE, "client write failed", clientGone);
      end(null);
    }
  }

  /**
   * Writes the next bytes of {@link #chunk}, at most {@link #writeSize}; how many. A slice of the
   * stored chunk goes to a stream that takes buffers as it is: the stored bytes never change, and
   * the next chunk is polled (which may reuse a file reader's buffer) only once {@code isReady()}
   * says this write is done.
   */
  private int writeSome() throws IOException {
    int n = Math.min(chunk.remaining(), writeSize);
    if (writesBuffers) {
      ByteBuffer slice = chunk.slice(chunk.position(), n);
      chunk.position(chunk.position() + n);
      ChunkWriter.write(out, slice);
    } else {
      chunk.get(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    return n;
  }

  /** Moves to the next part; false after the last. */
  private boolean nextPart() {
    if (!parts.hasNext()) {
      return false;
    }
    CachedResponses.Part p = parts.next();
    if (p.literal() != null) {
      literal = p.literal();
    } else {
      if (buffer == null && !writesBuffers) {
        buffer = new byte[writeSize];
      }
      feed = entry.bodyFeed(p.range());
    }
    return true;
  }

  private void resumeInline() {
    if (!ended.get()) {
      pump();
    }
  }

  /** The feed's callback runs on the writer's thread: the writing is handed to the container. */
  private void resumeOnContainerThread() {
    if (ended.get()) {
      return;
    }
    try {
      async.start(this::pump);
    } catch (IllegalStateException over) {
      end(null); // the request was completed meanwhile (its client went)
    }
  }

  /** Ends the response: complete, or for a body that could not be read whole, broken. */
  private void end(IOException bodyFailure) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (feed != null) {
      feed.close();
    }
    buffer = null;
    chunk = null;
    entry.close();
    if (bodyFailure != null) {
      bodyFailed.accept(bodyFailure);
      return;
    }
    try {
      async.complete();
    } catch (IllegalStateException alreadyOver) {
      // the container ended the request first (its client went)
    }
  }
}
