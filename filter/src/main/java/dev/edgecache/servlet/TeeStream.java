package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The body stream of a {@link TeeResponse}: each byte goes where the response's state says (to the
 * client and the cache, one of them, or nowhere), the response deciding at the first byte. The
 * state's moves stay the response's; this stream only asks for them.
 */
final class TeeStream extends ServletOutputStream {
  private final TeeResponse tee;
  private final FilterStats stats;
  private ServletOutputStream clientStream;
  private EncodingWriter encoder;

  TeeStream(TeeResponse tee, FilterStats stats) {
    this.tee = tee;
    this.stats = stats;
  }

  /** A writer over this stream, in {@code charset}, that holds nothing back ({@link EncodingWriter}). */
  PrintWriter writer(Charset charset) {
    encoder = new EncodingWriter(this, charset);
    return new PrintWriter(encoder, false);
  }

  /** Brings what the writer holds (at most half a surrogate pair) into the stream. */
  void drainWriter() throws IOException {
    if (encoder != null) {
      encoder.drain();
    }
  }

  ServletOutputStream clientStream() throws IOException {
    if (clientStream == null) {
      ServletOutputStream raw = tee.client().getOutputStream();
      clientStream = tee.decodesForClient() ? new DecodingClientStream(raw) : raw;
    }
    return clientStream;
  }

  /**
   * The origin's body ended: a client served it decoded learns here whether the gzip was whole
   * ({@link GzipDecoder.Malformed} if not).
   */
  void endClientBody() throws IOException {
    if (clientStream instanceof DecodingClientStream decoding) {
      decoding.end();
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    tee.touch();
    stats.bytesFromOrigin.add(len);
    switch (tee.decide()) {
      case DISCARDING -> { }
      case TEEING -> {
        // the cache first: when the client has the last byte, the object is committed, so the
        // request it sends next finds the object whole
        toCache(b, off, len);
        toClient(b, off, len);
      }
      case PASSING -> toClient(b, off, len);
      case STORE_ONLY -> {
        BodySink s = tee.sink();
        try {
          s.write(b, off, len); // a failure reaches the servlet: nobody else gets these bytes
        } catch (IOException storeFailed) {
          tee.sinkFailed(s);
          throw new StoreWriteFailed(storeFailed);
        }
      }
      case ABORTED -> throw new IOException(tee.clientDetached()
          ? "the object being written failed; its client is served from it" : "the client has gone");
      case FINISHED -> throw new IOException("the response has ended");
      case UNDECIDED -> throw new IllegalStateException("undecided after a decision");
    }
  }

  /** Writes to the sink; a sink that refuses is dropped, and the client still gets every byte. */
  private void toCache(byte[] b, int off, int len) {
    BodySink s = tee.sink();
    if (!tee.stillStorable()) {
      // checked before every write, since the last byte of a declared length commits the object
      tee.sinkFailed(s);
      return;
    }
    try {
      s.write(b, off, len);
    } catch (IOException e) {
      tee.sinkFailed(s); // the store refused (too large, or failed)
    }
  }

  private void toClient(byte[] b, int off, int len) throws IOException {
    tee.checkHead();
    if (tee.state().writesClient()) {
      tee.clientCall(() -> clientStream().write(b, off, len));
    }
  }

  @Override
  public void flush() throws IOException {
    tee.flushSink();
    if (tee.decide().writesClient()) {
      tee.clientCall(() -> clientStream().flush());
    }
  }

  @Override
  public void close() throws IOException {
    drainWriter();
    if (tee.decide().writesClient()) {
      tee.clientCall(() -> clientStream().close());
    }
  }

  @Override
  public boolean isReady() {
    TeeState state = tee.state();
    if (!state.writesClient() && state != TeeState.UNDECIDED) {
      return true;
    }
    try {
      return clientStream().isReady();
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    tee.nonBlocking();
    try {
      clientStream().setWriteListener(listener);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
