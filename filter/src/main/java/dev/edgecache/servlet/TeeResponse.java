package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import dev.edgecache.http.EdgeControl;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The response the origin writes to during a fill: a state machine that decides, when the
 * response commits (first byte, flush, or end), whether it is stored, and from then on writes
 * every byte both to the client and to the cache sink. Nothing is buffered beyond what the
 * container buffers itself.
 *
 * <ul>
 *   <li>{@code UNDECIDED}: headers pass through to the client's response as the servlet sets
 *       them, except the edge-only fields, which are kept here and never reach the client.
 *   <li>{@code TEE}: storable; bytes go to the client and to the sink. A client that has gone
 *       does not stop the fill: its write errors are swallowed so the sink still gets every byte
 *       that waiters stream.
 *   <li>{@code PASS}: not stored; bytes go to the client only.
 *   <li>{@code DISCARD}: the origin failed before anything was sent and a stale object will be
 *       served instead; nothing the origin writes reaches the client.
 * </ul>
 *
 * <p>{@code reset} and {@code resetBuffer} abort the cache write (the bytes teed so far are
 * discarded) and nothing more of this response is stored. Used by one request thread at a time.
 */
final class TeeResponse extends HttpServletResponseWrapper {
  enum Mode { UNDECIDED, TEE, PASS, DISCARD }

  /** Decides, once, what becomes of the response; may open the sink through {@link #tee}. */
  interface Decider {
    Mode decide(TeeResponse response);

    /**
     * Checked before the cache write commits: whether what happened since the decision (a
     * session cookie added late, say) still lets the response be stored.
     */
    default boolean stillStorable(TeeResponse response) {
      return true;
    }

    /**
     * A response whose client was detached ({@link #storeOnly}) turned out not to be storable
     * after all: its object was committed, for the clients that follow it, and must now go.
     */
    default void unstore(TeeResponse response) {}
  }

  private final Decider decider;
  private volatile boolean originFailed;
  private final List<StoredHead.Field> edgeFields = new ArrayList<>();
  private Mode mode = Mode.UNDECIDED;
  private BodySink sink;
  private boolean tainted;
  private boolean clientGone;
  private volatile jakarta.servlet.AsyncContext follower;
  private boolean servletNonBlocking;
  private TeeStream stream;
  private PrintWriter writer;
  private int status = SC_OK;
  /** Whether any body byte or flush went through this wrapper. */
  private boolean touched;

  private final FilterStats stats;
  /** When the origin was asked, for its latency: this wrapper is made just before. */
  private final long askedNanos = System.nanoTime();

  TeeResponse(HttpServletResponse client, FilterStats stats, Decider decider) {
    super(client);
    this.stats = stats;
    this.decider = decider;
  }

  /** The fields meant for this cache only, as the origin set them. */
  List<StoredHead.Field> edgeFields() {
    return edgeFields;
  }

  /** Whether a reset or an error page of the container's made this response unfit for storing. */
  boolean tainted() {
    return tainted;
  }

  Mode mode() {
    return mode;
  }

  /** Whether the body went through this wrapper at all (or around it, to the original response). */
  boolean touched() {
    return touched;
  }

  /** Opens the cache side of the tee; called by the decider. */
  void tee(BodySink cacheSink) {
    this.sink = cacheSink;
  }

  /**
   * Opens the cache side only: the body goes to the sink, at the origin's pace, and the client
   * is served from the object being written by someone else (a follower), so that a client that
   * reads slowly slows nobody's fill. From now on the servlet's calls reach the client's
   * response no more: it behaves as committed. Called by the decider.
   */
  void storeOnly(BodySink cacheSink, jakarta.servlet.AsyncContext follower) {
    this.sink = cacheSink;
    this.follower = follower;
  }

  /** Whether the client is served by a follower of the object rather than through the tee. */
  /**
   * Whether the application failed or changed its response after the decision ({@link #abortSink}),
   * as opposed to the store failing under a good response.
   */
  boolean originFailed() {
    return originFailed;
  }

  boolean clientDetached() {
    return follower != null;
  }

  /**
   * The async context in which the follower serves the client ({@link #storeOnly}), and which it
   * completes once the body is written; null while the client is written through the tee.
   */
  jakarta.servlet.AsyncContext follower() {
    return follower;
  }

  /** Whether the servlet asked for non-blocking output: its listener then drives the client. */
  boolean servletWritesNonBlocking() {
    return servletNonBlocking;
  }

  private StoredHead notModified;

  /** Records that the origin confirmed the stored object, whose head is now {@code merged}. */
  void notModified(StoredHead merged) {
    this.notModified = merged;
  }

  /** The refreshed head when the origin answered 304 to a revalidation; else null. */
  StoredHead notModified() {
    return notModified;
  }

  private HttpServletResponse client() {
    return (HttpServletResponse) getResponse();
  }

  private static boolean edgeOnly(String name) {
    return name != null && EdgeControl.EDGE_ONLY_FIELDS.contains(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public void setHeader(String name, String value) {
    if (clientDetached()) {
      return; // as on a committed response
    }
    if (edgeOnly(name)) {
      edgeFields.removeIf(f -> f.name().equalsIgnoreCase(name));
      if (value != null) {
        edgeFields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    } else {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (clientDetached()) {
      return;
    }
    if (edgeOnly(name)) {
      if (value != null) {
        edgeFields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    } else {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setContentLength(int len) {
    if (!clientDetached()) {
      super.setContentLength(len);
    }
  }

  @Override
  public void setContentLengthLong(long len) {
    if (!clientDetached()) {
      super.setContentLengthLong(len);
    }
  }

  @Override
  public void setContentType(String type) {
    if (!clientDetached()) {
      super.setContentType(type);
    }
  }

  @Override
  public void setCharacterEncoding(String charset) {
    if (!clientDetached()) {
      super.setCharacterEncoding(charset);
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  @Override
  public void setStatus(int sc) {
    if (clientDetached()) {
      return;
    }
    status = sc;
    super.setStatus(sc);
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void sendError(int sc) throws IOException {
    sendError(sc, null);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    if (sc >= 100 && sc < 200) {
      // An interim response (Jetty writes 102 and 103 for sendError): it goes to the client and
      // decides nothing; the final response that follows is the one judged (RFC 9111 §3).
      if (!clientDetached() && !isCommitted()) {
        super.sendError(sc);
      }
      return;
    }
    if (clientDetached()) {
      abortSink(); // the client's follower learns from the object that it failed
      return;
    }
    status = sc;
    super.setStatus(sc);
    // The container writes the error page outside this wrapper: never stored, and not said to be
    // (a 404 would otherwise be planned for the lifetime its status gets by default).
    tainted = true;
    if (decide() == Mode.DISCARD) {
      return;
    }
    abortSink();
    if (msg == null) {
      super.sendError(sc);
    } else {
      super.sendError(sc, msg);
    }
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    if (clientDetached()) {
      abortSink();
      return;
    }
    status = SC_FOUND;
    super.setStatus(SC_FOUND);
    if (decide() != Mode.DISCARD) {
      abortSink();
      super.sendRedirect(location);
    }
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (writer != null) {
      throw new IllegalStateException("getWriter() has already been called");
    }
    if (stream == null) {
      stream = new TeeStream();
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      if (stream != null) {
        throw new IllegalStateException("getOutputStream() has already been called");
      }
      stream = new TeeStream();
      Charset charset = Charset.forName(getCharacterEncoding());
      writer = new PrintWriter(new OutputStreamWriter(stream, charset), false);
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    touched = true;
    if (writer != null) {
      writer.flush();
    }
    flushSink();
    if (decide() != Mode.DISCARD && !clientDetached()) {
      clientCall(() -> super.flushBuffer());
    }
  }

  /**
   * The origin flushed: a sink that holds bytes back (the cache's gzip) lets them go, so that the
   * requests following the fill get them now, as the client does.
   */
  private void flushSink() {
    BodySink s = sink;
    if (s != null && s instanceof GzipSink) {
      try {
        s.flush();
      } catch (IOException e) {
        sink = null; // the store refused: the client still gets it all
        s.abort();
      }
    }
  }

  @Override
  public void reset() {
    if (clientDetached()) {
      abortSink(); // what was written is not the response any more; its client is cut off
      tainted = true;
      return;
    }
    super.reset();
    discardTee();
    status = SC_OK;
    edgeFields.clear();
    stream = null;
    writer = null;
  }

  @Override
  public void resetBuffer() {
    if (clientDetached()) {
      abortSink();
      tainted = true;
      return;
    }
    super.resetBuffer();
    discardTee();
  }

  private void discardTee() {
    if (mode != Mode.UNDECIDED) {
      abortSink();
      tainted = true;
      mode = Mode.UNDECIDED;
    }
  }

  @Override
  public boolean isCommitted() {
    return clientDetached() || (mode != Mode.DISCARD && super.isCommitted());
  }

  /** The response as decided, deciding now if nothing was written. */
  Mode decide() {
    if (mode == Mode.UNDECIDED) {
      stats.originAnswered(System.nanoTime() - askedNanos);
      mode = decider.decide(this);
    }
    return mode;
  }

  /** The origin finished normally: flush what is pending and commit the cache write. */
  boolean finish() throws IOException {
    try {
      return finishSink();
    } finally {
      // a client's answer held back until the body's end (a range of undeclared length)
      for (jakarta.servlet.ServletResponse r = getResponse(); r instanceof jakarta.servlet.ServletResponseWrapper w;
          r = w.getResponse()) {
        if (r instanceof ColdAnswer cold) {
          cold.finish();
          break;
        }
      }
    }
  }

  private boolean finishSink() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    decide();
    if (sink == null) {
      return false;
    }
    BodySink s = sink;
    sink = null;
    if (!decider.stillStorable(this)) {
      if (!clientDetached()) {
        s.abort();
        return false;
      }
      // the clients that follow the object (its own among them) get it whole; nobody later does
      try {
        s.close();
      } catch (IOException e) {
        // short of its length: its followers learn so from the object
      }
      decider.unstore(this);
      return false;
    }
    try {
      s.close();
      return s.stores();
    } catch (IOException e) {
      return false; // short of its Content-Length, or the store failed: not stored
    }
  }

  /**
   * Whether the cache write is still open and the origin declared its length: its last byte
   * then commits the object, so it can outlive the request that started it.
   */
  boolean sinkAwaitsItsLastByte() {
    return sink != null && getHeader("Content-Length") != null;
  }

  /**
   * Waits until the cache write ends, the servlet having gone on writing after the container
   * finished with the request; if it writes nothing for {@code maxStall} (it failed, or gave up),
   * the write is aborted, so that no waiter follows a write that nobody will end. Time is read
   * from {@code clock}; the servlet's progress is looked at every 20 ms.
   */
  void awaitLastByte(java.time.Duration maxStall, java.time.Clock clock) {
    BodySink s = sink;
    long seen = -1;
    long stalledSince = clock.millis();
    while (s != null && !s.ended()) {
      long written = s.written();
      if (written != seen) {
        seen = written;
        stalledSince = clock.millis();
      } else if (clock.millis() - stalledSince > maxStall.toMillis()) {
        abortSink();
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abortSink();
        return;
      }
    }
  }

  /**
   * The store refused a write of a response whose client is served from the object: not the
   * application's failure, which the filter tells apart ({@link #originFailed}).
   */
  static final class StoreWriteFailed extends IOException {
    private static final long serialVersionUID = 1L;

    StoreWriteFailed(IOException cause) {
      super("the store failed the object being written: " + cause.getMessage(), cause);
    }

    /** Whether {@code t} is one, or was caused by one (an application that wrapped it). */
    static boolean in(Throwable t) {
      for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
        if (t instanceof StoreWriteFailed) {
          return true;
        }
      }
      return false;
    }
  }

  /** The store failed the write ({@link StoreWriteFailed}): the sink is gone, the response was good. */
  void dropFailedSink() {
    sink = null;
  }

  /** The origin failed: whatever was teed is not stored. */
  void abortSink() {
    originFailed = true; // before the abort: a follower that sees the abort sees this too
    if (sink != null) {
      sink.abort();
      sink = null;
    }
  }

  private interface ClientCall {
    void run() throws IOException;
  }

  /**
   * Runs a call on the client's response. While the cache is being filled, a client that has
   * gone is not the origin's problem: the error is swallowed so that the fill completes.
   */
  private void clientCall(ClientCall call) throws IOException {
    if (clientGone) {
      if (sink == null) {
        throw new IOException("the client has gone");
      }
      return;
    }
    try {
      call.run();
    } catch (IOException | RuntimeException e) {
      // a container may throw anything once its client is gone (a recycled response, say)
      clientGone = true;
      if (sink == null) {
        throw e;
      }
    }
  }

  /**
   * The container has finished with the client's response (its connection failed, or it
   * completed the request early): from now on only the cache side of the tee is written, and
   * the client's response, which the container may already have recycled, is never touched.
   */
  void forgetClient() {
    clientGone = true;
  }

  /** The body stream: to the client unless discarded, and to the sink while teeing. */
  private final class TeeStream extends ServletOutputStream {
    private ServletOutputStream clientStream;

    private ServletOutputStream clientStream() throws IOException {
      if (clientStream == null) {
        clientStream = client().getOutputStream();
      }
      return clientStream;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      touched = true;
      stats.bytesFromOrigin.add(len);
      if (decide() == Mode.DISCARD) {
        return;
      }
      if (sink != null && !clientGone && !clientDetached() && !decider.stillStorable(TeeResponse.this)) {
        // checked before every write, since the last byte of a declared length commits the
        // object; not once the client has gone, when the container may have recycled the
        // response (and nothing can be added to it any more)
        sink.abort();
        sink = null;
      }
      if (clientDetached()) {
        BodySink s = sink;
        if (s == null) {
          throw new IOException("the object being written failed; its client is served from it");
        }
        try {
          s.write(b, off, len); // a failure reaches the servlet: nobody else gets these bytes
        } catch (IOException storeFailed) {
          throw new StoreWriteFailed(storeFailed);
        }
        return;
      }
      if (sink != null) {
        // the cache first: when the client has the last byte, the object is committed, so the
        // request it sends next finds the object whole
        try {
          sink.write(b, off, len);
        } catch (IOException e) {
          sink = null; // the store refused (too large, or failed): the client still gets it all
        }
      }
      clientCall(() -> clientStream().write(b, off, len));
    }

    @Override
    public void flush() throws IOException {
      flushSink();
      if (decide() != Mode.DISCARD && !clientDetached()) {
        clientCall(() -> clientStream().flush());
      }
    }

    @Override
    public void close() throws IOException {
      if (decide() != Mode.DISCARD && !clientDetached()) {
        clientCall(() -> clientStream().close());
      }
    }

    @Override
    public boolean isReady() {
      if (clientDetached()) {
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
      servletNonBlocking = true;
      try {
        clientStream().setWriteListener(listener);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
