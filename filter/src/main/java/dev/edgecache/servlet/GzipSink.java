package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A sink that gzips what it is given into another: the cache's own coding of a compressible
 * body it stores ({@code ContentCoding.gzipsAtEdge}). Its output reaches the store as the
 * compressor lets it go, so that readers following the write get each piece soon; closing it
 * ends the gzip stream and commits the object, aborting it aborts the object.
 */
final class GzipSink extends BodySink {
  private final BodySink target;
  private final GZIPOutputStream gzip;
  private boolean ended;

  GzipSink(BodySink target) throws IOException {
    this.target = target;
    // syncFlush: a flush of the origin's (a page written in pieces) reaches followers at once
    this.gzip = new GZIPOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        target.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
      }
    }, 16 * 1024, true);
  }

  @Override
  public void write(int b) throws IOException {
    gzip.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    gzip.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    gzip.flush();
  }

  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    ended = true;
    try {
      gzip.close(); // the trailer, and the compressor's native memory back
    } catch (IOException e) {
      target.abort();
      throw e;
    }
    target.close();
  }

  @Override
  public void abort() {
    ended = true;
    target.abort();
    try {
      gzip.close(); // only to give the compressor's memory back: the target refuses the bytes
    } catch (IOException expected) {
      // the aborted target refused the trailer
    }
  }

  /** The gzip bytes given to the store so far. */
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
