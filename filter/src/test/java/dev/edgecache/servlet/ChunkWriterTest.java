package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkWriterTest {
  /** A stream with only the Servlet 6.0 methods: chunks reach it copied, in pieces. */
  public static class ArrayOnlyStream extends ServletOutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> writes = new ArrayList<>();

    @Override
    public void write(int b) {
      bytes.write(b);
      writes.add(1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      writes.add(len);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener l) {}
  }

  /** A container's stream that takes buffers itself, as Jetty's, Tomcat's and Undertow's do. */
  public static class BufferStream extends ArrayOnlyStream {
    final List<ByteBuffer> buffers = new ArrayList<>();

    public void write(ByteBuffer b) {
      buffers.add(b);
      byte[] copy = new byte[b.remaining()];
      b.get(copy);
      bytes.write(copy, 0, copy.length);
    }
  }

  @Test
  void jettysOwnStreamTakesBuffers() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Boolean> takes = new java.util.concurrent.atomic.AtomicReference<>();
    jakarta.servlet.Filter none = (req, res, chain) -> chain.doFilter(req, res);
    try (JettyHarness jetty = new JettyHarness(new jakarta.servlet.http.HttpServlet() {
      @Override
      protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
          throws IOException {
        takes.set(ChunkWriter.writesBuffers(res.getOutputStream()));
        ChunkWriter.write(res.getOutputStream(), chunk(100_000));
      }
    }, none, java.util.Map.of())) {
      java.net.http.HttpResponse<byte[]> got = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(jetty.url("/x"))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(Boolean.TRUE, takes.get());
      assertArrayEquals(bytes(chunk(100_000)), got.body());
    }
  }

  private static ByteBuffer chunk(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 7);
    }
    return ByteBuffer.wrap(b).asReadOnlyBuffer();
  }

  @Test
  void aStreamThatTakesBuffersGetsTheStoredChunkItselfInOneWrite() throws IOException {
    BufferStream out = new BufferStream();
    ByteBuffer c = chunk(300_000);
    assertTrue(ChunkWriter.writesBuffers(out));
    ChunkWriter.write(out, c);
    assertEquals(1, out.buffers.size());
    assertTrue(out.buffers.get(0) == c, "the chunk, not a copy");
    assertTrue(out.writes.isEmpty());
    assertArrayEquals(bytes(chunk(300_000)), out.bytes.toByteArray());
  }

  @Test
  void anyOtherStreamGetsTheBytesCopiedInBoundedPieces() throws IOException {
    ArrayOnlyStream out = new ArrayOnlyStream();
    assertFalse(ChunkWriter.writesBuffers(out));
    ChunkWriter.write(out, chunk(40_000));
    assertArrayEquals(bytes(chunk(40_000)), out.bytes.toByteArray());
    assertEquals(List.of(ChunkWriter.COPY_SIZE, ChunkWriter.COPY_SIZE, 40_000 - 2 * ChunkWriter.COPY_SIZE), out.writes);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }
}
