package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.BodySink;
import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.Test;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * The tee's moves when its client fails under a write, including the container reporting the
 * failure on its own thread while the servlet's write is failing (Tomcat's {@code onError}).
 */
class TeeResponseTest {
  private final RecordingSink sink = new RecordingSink();
  private Runnable duringClientWrite = () -> { };
  private boolean clientFails;
  private TeeResponse tee;

  private TeeResponse tee() {
    tee = new TeeResponse(client(), new FilterStats(), FilterSettings.DEFAULT.edgeOnlyFields(), response -> {
      response.tee(sink);
      return TeeDecider.Mode.STORE;
    });
    return tee;
  }

  @Test
  void aClientThatFailsUnderAWriteLeavesTheSinkToGoOn() throws IOException {
    ServletOutputStream out = tee().getOutputStream();
    out.write(bytes("one "));
    clientFails = true;
    out.write(bytes("two "));
    out.write(bytes("three"));
    assertEquals(TeeState.STORE_ONLY, tee.state());
    assertArrayEquals(bytes("one two three"), sink.bytes.toByteArray());
    assertFalse(sink.aborted);
  }

  /**
   * The container detaches the client while the servlet's write to it is failing: the write
   * goes on for the sink, and the object is neither lost nor left open.
   */
  @Test
  void aClientTheContainerForgetsWhileAWriteFailsLeavesTheSinkToGoOn() throws IOException {
    ServletOutputStream out = tee().getOutputStream();
    out.write(bytes("one "));
    clientFails = true;
    duringClientWrite = () -> tee.forgetClient();
    out.write(bytes("two "));
    out.write(bytes("three"));
    assertEquals(TeeState.STORE_ONLY, tee.state());
    assertArrayEquals(bytes("one two three"), sink.bytes.toByteArray());
    assertTrue(tee.finish(), "the whole body is stored");
    assertTrue(sink.closed);
    assertFalse(sink.aborted);
  }

  /** A response that passes and loses its client ends: the servlet learns, nothing waits on a sink. */
  @Test
  void aPassingResponseWhoseClientFailsIsAborted() throws IOException {
    tee = new TeeResponse(client(), new FilterStats(), FilterSettings.DEFAULT.edgeOnlyFields(), response -> TeeDecider.Mode.PASS);
    ServletOutputStream out = tee.getOutputStream();
    clientFails = true;
    assertThrows(IOException.class, () -> out.write(bytes("lost")));
    assertEquals(TeeState.ABORTED, tee.state());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** A client response whose stream fails on demand; every other call answers as a fresh response. */
  private HttpServletResponse client() {
    ServletOutputStream stream = new ServletOutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        duringClientWrite.run();
        if (clientFails) {
          throw new IOException("Connection reset by peer");
        }
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {}
    };
    return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getOutputStream" -> stream;
          case "getStatus" -> 200;
          case "getCharacterEncoding" -> "UTF-8";
          case "getHeaderNames", "getHeaders" -> List.of();
          case "isCommitted", "containsHeader" -> false;
          default -> method.getReturnType() == int.class ? 0 : method.getReturnType() == boolean.class ? false : null;
        });
  }

  /** Records what the tee writes to the cache side. */
  private static final class RecordingSink extends BodySink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean closed;
    boolean aborted;

    @Override
    public void write(int b) {
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public void abort() {
      aborted = true;
    }

    @Override
    public long written() {
      return bytes.size();
    }

    @Override
    public boolean ended() {
      return closed || aborted;
    }
  }
}
