package dev.edgecache.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * A writer that encodes each call's characters straight into its stream, holding nothing back
 * but the first half of a surrogate pair whose second half has not come yet.
 *
 * <p>Why not {@code OutputStreamWriter}: it keeps up to 8 KiB of encoded bytes that reach the
 * stream only when the writer is flushed. An application that prints its page on an async thread
 * and calls {@code complete()} never flushes; the container flushes its own writer then, but not
 * one a filter wrapped around it, and the page was lost (its client got an empty 200). With
 * nothing held here, every character printed is in the response's stream when the call returns,
 * whatever ends the response. The container's stream still buffers, as it does for its own writer.
 *
 * <p>Not thread-safe: a response is written by one thread at a time.
 */
final class EncodingWriter extends Writer {
  private final OutputStream out;
  private final CharsetEncoder encoder;
  /** A high surrogate waiting for its pair; {@code 0} if none. */
  private char pendingHigh;
  private byte[] bytes = new byte[256];

  EncodingWriter(OutputStream out, Charset charset) {
    this.out = out;
    this.encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  @Override
  public void write(int c) throws IOException {
    write(new char[] {(char) c}, 0, 1);
  }

  @Override
  public void write(String s, int off, int len) throws IOException {
    if (len <= 0) {
      return;
    }
    encode(CharBuffer.wrap(s, off, off + len));
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    if (len <= 0) {
      return;
    }
    encode(CharBuffer.wrap(cbuf, off, len));
  }

  private void encode(CharBuffer chars) throws IOException {
    if (pendingHigh != 0) {
      CharBuffer joined = CharBuffer.allocate(chars.remaining() + 1);
      joined.put(pendingHigh).put(chars).flip();
      pendingHigh = 0;
      chars = joined;
    }
    if (chars.remaining() > 0 && Character.isHighSurrogate(chars.get(chars.limit() - 1))) {
      // its low half comes with the next call; encoded alone it would become '?'
      pendingHigh = chars.get(chars.limit() - 1);
      chars.limit(chars.limit() - 1);
    }
    int needed = (int) Math.ceil(chars.remaining() * (double) encoder.maxBytesPerChar());
    if (needed > bytes.length) {
      bytes = new byte[Math.max(needed, bytes.length * 2)];
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    encoder.reset();
    CoderResult result = encoder.encode(chars, buffer, true);
    if (!result.isUnderflow()) {
      result.throwException(); // cannot happen: the buffer holds the worst case, errors are replaced
    }
    encoder.flush(buffer);
    if (buffer.position() > 0) {
      out.write(bytes, 0, buffer.position());
    }
  }

  /**
   * Writes out a high surrogate left without its pair, as the replacement the charset uses for
   * malformed input; nothing else is ever held.
   */
  void drain() throws IOException {
    if (pendingHigh != 0) {
      pendingHigh = 0;
      out.write(encoder.replacement());
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    drain();
    out.close();
  }
}
