package dev.edgecache.servlet;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A Brotli stream decoded as its bytes arrive: whatever the bytes read so far hold is given out,
 * as a browser shows a page while it loads. Brotli4j's own {@code BrotliInputStream} waits for
 * more input than a flushed meta-block gives, even with eager output, so it cannot tell whether
 * a flush reached the client.
 */
final class EagerBrotliInputStream extends InputStream {
  private static final int CHUNK = 8192;
  private final InputStream in;
  private final DecoderJNI.Wrapper decoder;
  private final byte[] chunk = new byte[CHUNK];
  private ByteBuffer out = ByteBuffer.allocate(0);

  EagerBrotliInputStream(InputStream in) throws IOException {
    this.in = in;
    this.decoder = new DecoderJNI.Wrapper(CHUNK);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!out.hasRemaining()) { // the pulled buffer is used up before the next push
      if (decoder.hasOutput()) {
        out = decoder.pull();
        continue;
      }
      switch (decoder.getStatus()) {
        case DONE -> {
          return -1;
        }
        case OK -> decoder.push(0);
        case NEEDS_MORE_INPUT -> {
          int n = in.read(chunk);
          if (n < 0) {
            throw new EOFException("the Brotli stream ends before its last meta-block");
          }
          ByteBuffer input = decoder.getInputBuffer();
          input.clear();
          input.put(chunk, 0, n);
          decoder.push(n);
        }
        case NEEDS_MORE_OUTPUT -> out = decoder.pull();
        default -> throw new IOException("not a Brotli stream: " + decoder.getStatus());
      }
    }
    int n = Math.min(len, out.remaining());
    out.get(b, off, n);
    return n;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public void close() throws IOException {
    decoder.destroy();
    in.close();
  }
}
