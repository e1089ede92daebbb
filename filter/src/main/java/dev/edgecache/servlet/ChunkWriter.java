package dev.edgecache.servlet;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Writes the read-only chunks of a stored body to a servlet output stream with blocking writes.
 * Where the container's stream takes a {@code ByteBuffer} itself (Jetty's, Tomcat's and
 * Undertow's do, as does any Servlet 6.1 stream that overrides {@code write(ByteBuffer)}), the
 * chunk goes to it as it is, so that a hit's bytes reach the socket without a copy in between and
 * a large chunk in one write; elsewhere they are copied through a per-thread array. The Servlet
 * 6.1 default is not used: for a read-only buffer it allocates an array of the buffer's size.
 */
final class ChunkWriter {
  /** Bytes per write when a chunk must be copied. */
  static final int COPY_SIZE = 16 * 1024;

  private static final MethodType WRITE_TYPE = MethodType.methodType(void.class, ByteBuffer.class);
  private static final MethodType CALL_TYPE =
      MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class);

  /** Each stream class's own {@code write(ByteBuffer)}, or null where it has none. */
  private static final ClassValue<MethodHandle> BUFFER_WRITE = new ClassValue<>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      try {
        Class<?> declaring = type.getMethod("write", ByteBuffer.class).getDeclaringClass();
        if (declaring == ServletOutputStream.class || declaring == OutputStream.class) {
          return null;
        }
        return MethodHandles.publicLookup().findVirtual(type, "write", WRITE_TYPE).asType(CALL_TYPE);
      } catch (ReflectiveOperationException | SecurityException | IllegalArgumentException e) {
        return null; // not public, or no such method: the copy below does
      }
    }
  };

  /**
   * A copy buffer per thread, so that a copied write allocates none. A blocking servlet write has
   * taken the bytes (copied or sent them) by the time it returns, so the buffer is free again then.
   */
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[COPY_SIZE]);

  private ChunkWriter() {}

  /** Writes all of {@code chunk}'s remaining bytes to {@code out}, blocking until it has them. */
  static void write(ServletOutputStream out, ByteBuffer chunk) throws IOException {
    MethodHandle direct = BUFFER_WRITE.get(out.getClass());
    if (direct != null) {
      try {
        direct.invokeExact(out, chunk);
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IOException(e);
      }
      return;
    }
    byte[] buf = BUFFER.get();
    while (chunk.hasRemaining()) {
      int n = Math.min(buf.length, chunk.remaining());
      chunk.get(buf, 0, n);
      out.write(buf, 0, n);
    }
  }

  /** Whether {@code out}'s class takes a {@code ByteBuffer} without the copy. */
  static boolean writesBuffers(ServletOutputStream out) {
    return BUFFER_WRITE.get(out.getClass()) != null;
  }
}
