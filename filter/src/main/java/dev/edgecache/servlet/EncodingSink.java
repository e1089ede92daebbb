package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A sink that encodes what it is given into another: the cache's own coding of a compressible
 * body it stores ({@code ContentCoding.gzipsAtEdge}), gzip, br or zstd ({@link EdgeCodings}). Its
 * output reaches the store as the encoder lets it go, so that readers following the write get
 * each piece soon; a flush of the origin's (a page written in pieces) is passed on to the
 * encoder, so that it reaches followers at once; closing it ends the encoding and commits the
 * object, aborting it aborts the object. Either runs its {@code released} hook, once, when the
 * encoder is done with ({@link EncoderBudget}).
 */
final class EncodingSink extends BodySink {
  /** Makes the encoder that writes into the store's sink. */
  @FunctionalInterface
  interface Encoder {
    OutputStream on(OutputStream target) throws IOException;
  }

  private final BodySink target;
  private final OutputStream encoder;
  private final Runnable released;
  private boolean ended;
  private boolean releasedOnce;

  /**
   * @param released run once when the encoder is done with: closed, aborted, or never made
   *     ({@code encoder} threw)
   */
  EncodingSink(BodySink target, Encoder encoder, Runnable released) throws IOException {
    this.target = target;
    this.released = released;
    try {
      this.encoder = encoder.on(sinkStream(target));
    } catch (IOException | RuntimeException | Error e) {
      released.run();
      throw e;
    }
  }

  private static OutputStream sinkStream(BodySink target) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        target.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
      }
    };
  }

  private void release() {
    if (!releasedOnce) {
      releasedOnce = true;
      released.run();
    }
  }

  @Override
  public void write(int b) throws IOException {
    encoder.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    encoder.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    encoder.flush();
  }

  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    ended = true;
    try {
      encoder.close(); // the coding's end, and the encoder's native memory back
    } catch (IOException e) {
      target.abort();
      throw e;
    } finally {
      release();
    }
    target.close();
  }

  @Override
  public void abort() {
    ended = true;
    target.abort();
    try {
      encoder.close(); // only to give the encoder's memory back: the target refuses the bytes
    } catch (IOException expected) {
      // the aborted target refused the coding's end
    } finally {
      release();
    }
  }

  /** The encoded bytes given to the store so far. */
  @Override
  public long written() {
    return target.written();
  }

  @Override
  public boolean stores() {
    return target.stores();
  }

  @Override
  public boolean keeps() {
    return target.keeps();
  }

  @Override
  public boolean ended() {
    return ended || target.ended();
  }
}
