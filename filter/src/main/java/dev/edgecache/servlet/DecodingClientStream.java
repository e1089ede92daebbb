package dev.edgecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The client's stream of a fill whose client is served the stored gzip body decoded (it did not
 * ask for gzip; {@code ContentCoding.decodesFor}), as every later client of that variant is: the
 * origin's gzip is decoded on its way to the client. What one write decodes to reaches the
 * client in one write, so that a servlet writing without blocking keeps the container's rule of
 * one write per {@code isReady()}.
 */
final class DecodingClientStream extends ServletOutputStream {
  private final ServletOutputStream client;
  private final GzipDecoder decoder = new GzipDecoder();
  private final ByteArrayOutputStream decoded = new ByteArrayOutputStream(16 * 1024);
  private boolean ended;

  DecodingClientStream(ServletOutputStream client) {
    this.client = client;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    decoder.decode(b, off, len, decoded);
    if (decoded.size() > 0) {
      try {
        decoded.writeTo(client);
      } finally {
        decoded.reset();
      }
    }
  }

  @Override
  public void flush() throws IOException {
    client.flush();
  }

  /**
   * The origin's body ended: throws if its gzip ended midway, so that the client's response is
   * broken off rather than ended as if whole.
   */
  void end() throws IOException {
    if (!ended) {
      ended = true;
      decoder.close();
    }
    decoder.finish();
  }

  @Override
  public void close() throws IOException {
    end();
    client.close();
  }

  @Override
  public boolean isReady() {
    return client.isReady();
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    client.setWriteListener(listener);
  }
}
