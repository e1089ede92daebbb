package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import dev.edgecache.http.EdgeControl;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The response the origin writes to during a fill or a pass: a state machine that decides, when
 * the response is first written, flushed or ended, what becomes of it, and from then on sends
 * every byte where its state says. Nothing is buffered beyond what the container buffers itself:
 * the writer encodes each call straight into the stream ({@link EncodingWriter}), so no path that
 * ends a response (the chain's return, {@code complete()}, an error) can leave bytes behind.
 *
 * <p>Its states, in the one field {@link #state}, and their moves (all of them in {@link #move}):
 *
 * <pre>
 *   UNDECIDED ──decide──► TEEING | STORE_ONLY | PASSING | DISCARDING
 *   TEEING ──store refuses or fails──► PASSING      (the client still gets every byte)
 *   TEEING ──client gone──► STORE_ONLY              (the waiters still get every byte)
 *   TEEING | PASSING | DISCARDING ──reset──► UNDECIDED (tainted: never stored)
 *   TEEING ──origin fails or sends an error page──► PASSING
 *   STORE_ONLY | PASSING ──object fails / client gone──► ABORTED
 *   any ──container refuses the head──► DISCARDING (its client is answered 502)
 *   any ──finish──► FINISHED
 * </pre>
 *
 * <ul>
 *   <li>{@code UNDECIDED}: headers pass through to the client's response as the servlet sets
 *       them, except the edge-only fields, which are kept here and never reach the client.
 *   <li>{@code TEEING}: storable; bytes go to the client and to the sink.
 *   <li>{@code STORE_ONLY}: storable, and the client is not written through this response: it is
 *       served from the object by a follower ({@link #storeOnly}), or it has gone. The servlet's
 *       calls reach the client's response no more: it behaves as committed.
 *   <li>{@code PASSING}: not stored; bytes go to the client only.
 *   <li>{@code DISCARDING}: nothing the origin writes reaches the client: a stale object, or the
 *       304's merge, is served instead, or the container refused the head.
 *   <li>{@code ABORTED}: the object failed with nobody written through this response; writes fail.
 *   <li>{@code FINISHED}: the origin's response ended; the cache write is committed or dropped.
 * </ul>
 *
 * <p>The servlet's thread moves the state; other threads (a follower, a watcher of a fill whose
 * client left) read it, hence {@code volatile}.
 */
final class TeeResponse extends HttpServletResponseWrapper {
  /** What the decider made of the response. */
  enum Mode {
    /** Stored: the decider opened the sink with {@link #tee} or {@link #storeOnly}. */
    STORE,
    PASS,
    DISCARD
  }

  /** Where the response's bytes go; see the class comment for the moves. */
  enum State {
    UNDECIDED, TEEING, STORE_ONLY, PASSING, DISCARDING, ABORTED, FINISHED;

    /** Whether this state may move to {@code next}: the one table of allowed moves. */
    boolean mayMoveTo(State next) {
      return switch (this) {
        case UNDECIDED -> next != UNDECIDED;
        case TEEING -> true;
        case PASSING -> next == UNDECIDED || next == ABORTED || next == DISCARDING || next == FINISHED;
        case STORE_ONLY -> next == ABORTED || next == FINISHED;
        case DISCARDING -> next == UNDECIDED || next == FINISHED;
        case ABORTED -> next == FINISHED;
        case FINISHED -> false;
      };
    }

    /** Whether the client's response is written through this one. */
    boolean writesClient() {
      return this == TEEING || this == PASSING;
    }
  }

  /** Decides, once, what becomes of the response; opens the sink through {@link #tee} or {@link #storeOnly}. */
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

    /**
     * The container refused to write the head ({@link #headRefused}) and the response is still
     * uncommitted, reset: the decider answers the client (a 502).
     */
    default void answerRefusedHead(HttpServletResponse client) {
      client.setStatus(SC_BAD_GATEWAY);
      client.setContentLength(0);
    }
  }

  private final Decider decider;
  private final List<StoredHead.Field> edgeFields = new ArrayList<>();
  private volatile State state = State.UNDECIDED;
  /** The cache side; non-null exactly while {@code TEEING} or {@code STORE_ONLY}. */
  private volatile BodySink sink;
  /** Serves the client from the object while {@code STORE_ONLY}; null if the client left instead. */
  private volatile jakarta.servlet.AsyncContext follower;
  /** Set when the application failed or changed its response after the decision. */
  private volatile boolean originFailed;
  /** Set when the container refused to write the head (larger than it allows). */
  private volatile boolean headRefused;
  /** A reset or an error page of the container's made the response unfit for storing. */
  private boolean tainted;
  /** The container said the client left before the decision. */
  private boolean clientLost;
  private boolean servletNonBlocking;
  /** Whether any body byte or flush went through this wrapper. */
  private boolean touched;
  /** Whether {@link #checkHead} looked at the head. */
  private boolean headChecked;
  private TeeStream stream;
  private PrintWriter writer;
  private EncodingWriter encoder;
  private int status = SC_OK;
  /** The {@code Cache-Status} to put on the response if the object turns out stored; see {@link #claimStoredAtEnd}. */
  private String statusIfStored;
  private StoredHead notModified;
  /** The state {@link #finish} found; null before. */
  private volatile State endedIn;

  private final FilterStats stats;
  /** When the origin was asked, for its latency: this wrapper is made just before. */
  private final long askedNanos = System.nanoTime();

  TeeResponse(HttpServletResponse client, FilterStats stats, Decider decider) {
    super(client);
    this.stats = stats;
    this.decider = decider;
  }

  /** Moves to {@code next}; every change of {@link #state} goes through here. */
  private void move(State next) {
    State now = state;
    if (now == next) {
      return;
    }
    if (!now.mayMoveTo(next)) {
      throw new IllegalStateException("response state " + now + " cannot move to " + next);
    }
    if (next != State.TEEING && next != State.STORE_ONLY) {
      sink = null;
    }
    state = next;
  }

  State state() {
    return state;
  }

  /** The state the response was in when it finished; null if it has not. */
  State endedIn() {
    return endedIn;
  }

  /** The fields meant for this cache only, as the origin set them. */
  List<StoredHead.Field> edgeFields() {
    return edgeFields;
  }

  /** Whether a reset or an error page of the container's made this response unfit for storing. */
  boolean tainted() {
    return tainted;
  }

  /** Whether the body went through this wrapper at all (or around it, to the original response). */
  boolean touched() {
    return touched;
  }

  /** Opens the cache side of the tee: client and sink get every byte. Called by the decider. */
  void tee(BodySink cacheSink) {
    move(clientLost ? State.STORE_ONLY : State.TEEING);
    this.sink = cacheSink;
  }

  /**
   * Opens the cache side only: the body goes to the sink, at the origin's pace, and the client
   * is served from the object being written by someone else (a follower), so that a client that
   * reads slowly slows nobody's fill. From now on the servlet's calls reach the client's
   * response no more: it behaves as committed. Called by the decider.
   */
  void storeOnly(BodySink cacheSink, jakarta.servlet.AsyncContext follower) {
    this.follower = follower;
    move(State.STORE_ONLY);
    this.sink = cacheSink;
  }

  /**
   * Says that the object is stored only once it is: the decider sets {@code provisional} now
   * (a body of unknown length may yet be refused by the store), and {@code text} replaces it at
   * the end if the object was committed and the head has not left yet (RFC 9211 §2.5: {@code
   * stored} is a statement of fact).
   */
  void claimStoredAtEnd(String provisional, String text) {
    setHeader("Cache-Status", provisional);
    statusIfStored = text;
  }

  /**
   * Whether the application failed or changed its response after the decision ({@link #abortSink}),
   * as opposed to the store failing under a good response.
   */
  boolean originFailed() {
    return originFailed;
  }

  /** Whether the container refused to write the head: its client is owed a 502. */
  boolean headRefused() {
    return headRefused;
  }

  /** Whether the client is served by a follower of the object rather than through the tee. */
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

  /** Whether the servlet's calls on the head still reach the client's response. */
  private boolean headReachesClient() {
    State s = state;
    return s != State.STORE_ONLY && s != State.ABORTED;
  }

  private static boolean edgeOnly(String name) {
    return name != null && EdgeControl.EDGE_ONLY_FIELDS.contains(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public void setHeader(String name, String value) {
    if (edgeOnly(name)) {
      edgeFields.removeIf(f -> f.name().equalsIgnoreCase(name));
      if (value != null) {
        edgeFields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    } else if (headReachesClient()) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (edgeOnly(name)) {
      if (value != null) {
        edgeFields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    } else if (headReachesClient()) {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setContentLength(int len) {
    if (headReachesClient()) {
      super.setContentLength(len);
    }
  }

  @Override
  public void setContentLengthLong(long len) {
    if (headReachesClient()) {
      super.setContentLengthLong(len);
    }
  }

  @Override
  public void setContentType(String type) {
    if (headReachesClient()) {
      super.setContentType(type);
    }
  }

  @Override
  public void setCharacterEncoding(String charset) {
    if (headReachesClient()) {
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
    if (headReachesClient()) {
      status = sc;
      super.setStatus(sc);
    }
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
      if (state.writesClient() || state == State.UNDECIDED) {
        if (!isCommitted()) {
          super.sendError(sc);
        }
      }
      return;
    }
    if (!headReachesClient()) {
      abortSink(); // the client's follower learns from the object that it failed
      return;
    }
    status = sc;
    super.setStatus(sc);
    // The container writes the error page outside this wrapper: never stored, and not said to be
    // (a 404 would otherwise be planned for the lifetime its status gets by default).
    tainted = true;
    if (decide() == State.DISCARDING) {
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
    if (!headReachesClient()) {
      abortSink();
      return;
    }
    status = SC_FOUND;
    super.setStatus(SC_FOUND);
    if (decide() != State.DISCARDING) {
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
      encoder = new EncodingWriter(stream, Charset.forName(getCharacterEncoding()));
      writer = new PrintWriter(encoder, false);
    }
    return writer;
  }

  /** Brings what the writer holds (at most half a surrogate pair) into the current state. */
  private void drainWriter() throws IOException {
    if (encoder != null) {
      encoder.drain();
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    touched = true;
    drainWriter();
    flushSink();
    decide();
    checkHead();
    if (state.writesClient()) {
      clientCall(() -> super.flushBuffer());
    }
  }

  /**
   * The origin flushed: a sink that holds bytes back (the cache's gzip) lets them go, so that the
   * requests following the fill get them now, as the client does.
   */
  private void flushSink() {
    BodySink s = sink;
    if (s instanceof GzipSink) {
      try {
        s.flush();
      } catch (IOException e) {
        sinkFailed(s); // the store refused: the client still gets it all
      }
    }
  }

  @Override
  public void reset() {
    if (!headReachesClient()) {
      abortSink(); // what was written is not the response any more; its client is cut off
      tainted = true;
      return;
    }
    super.reset();
    discardDecision();
    status = SC_OK;
    edgeFields.clear();
    stream = null;
    writer = null;
    encoder = null;
  }

  @Override
  public void resetBuffer() {
    if (!headReachesClient()) {
      abortSink();
      tainted = true;
      return;
    }
    super.resetBuffer();
    discardDecision();
  }

  /** A reset before commit: what was decided is void, and the response is never stored. */
  private void discardDecision() {
    State s = state;
    if (s != State.UNDECIDED && s != State.FINISHED) {
      BodySink open = sink;
      if (open != null) {
        open.abort();
      }
      tainted = true;
      move(State.UNDECIDED);
    }
  }

  @Override
  public boolean isCommitted() {
    State s = state;
    return s == State.STORE_ONLY || s == State.ABORTED || (s != State.DISCARDING && super.isCommitted());
  }

  /** The response as decided, deciding now if nothing was written. */
  State decide() {
    if (state == State.UNDECIDED) {
      stats.originAnswered(System.nanoTime() - askedNanos);
      Mode mode = decider.decide(this);
      switch (mode) {
        case STORE -> {
          if (state == State.UNDECIDED) {
            throw new IllegalStateException("a decider that stores opens the sink");
          }
        }
        case PASS -> move(clientLost ? State.ABORTED : State.PASSING);
        case DISCARD -> move(State.DISCARDING);
      }
    }
    return state;
  }

  /** The origin finished normally: commit the cache write, and end the client's answer. */
  boolean finish() throws IOException {
    try {
      drainWriter();
      decide();
      checkHead();
      boolean stored = finishSink();
      if (stored && statusIfStored != null && state.writesClient() && !super.isCommitted()) {
        super.setHeader("Cache-Status", statusIfStored);
      }
      if (headRefused && !super.isCommitted()) {
        try {
          super.reset();
          decider.answerRefusedHead(client());
        } catch (IllegalStateException committed) {
          // the container answered itself (a 500): nothing else can be said
        }
      }
      return stored;
    } finally {
      if (state != State.FINISHED) {
        endedIn = state;
        move(State.FINISHED);
      }
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

  /**
   * Before the first byte of the body reaches the client, a large head is written on its own,
   * so that a container that refuses it (larger than it allows) says so here, where the object
   * can still be dropped; else it would find out only as the request ends, with the object
   * stored and every hit failing the same way ({@link RefusedHead}).
   */
  private void checkHead() throws IOException {
    if (!headChecked && state.writesClient()) {
      headChecked = true;
      if (!super.isCommitted() && RefusedHead.large(client())) {
        clientCall(() -> super.flushBuffer());
      }
    }
  }

  private boolean finishSink() {
    BodySink s = sink;
    if (s == null) {
      return false;
    }
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
    if (state == State.STORE_ONLY) {
      move(State.ABORTED);
    } else if (state == State.TEEING) {
      move(State.PASSING);
    }
  }

  /** The store refused or failed {@code s}: a client written through the tee still gets every byte. */
  private void sinkFailed(BodySink s) {
    s.abort();
    if (state == State.TEEING) {
      move(State.PASSING);
    } else if (state == State.STORE_ONLY) {
      move(State.ABORTED);
    }
  }

  /** The origin failed, or changed its response: whatever was teed is not stored. */
  void abortSink() {
    originFailed = true; // before the abort: a follower that sees the abort sees this too
    BodySink s = sink;
    if (s != null) {
      s.abort();
    }
    if (state == State.TEEING) {
      move(State.PASSING);
    } else if (state == State.STORE_ONLY) {
      move(State.ABORTED);
    }
  }

  private interface ClientCall {
    void run() throws IOException;
  }

  /**
   * Runs a call on the client's response. A client that has gone is not the origin's problem
   * while the cache is being filled: the tee goes on for the sink alone. A container that fails
   * the call as it writes the head, with anything but an I/O error, refused the head (larger
   * than it allows): that response is never stored, and its client is owed a 502.
   */
  private void clientCall(ClientCall call) throws IOException {
    boolean headOut = super.isCommitted();
    try {
      call.run();
    } catch (IOException | RuntimeException e) {
      if (!headOut && RefusedHead.in(e)) {
        headRefused = true;
        stats.notStored.add("head-refused");
        BodySink s = sink;
        if (s != null) {
          s.abort();
        }
        move(State.DISCARDING);
        return;
      }
      // a container may throw anything once its client is gone (a recycled response, say)
      if (state == State.TEEING) {
        move(State.STORE_ONLY);
        return;
      }
      move(State.ABORTED);
      throw e;
    }
  }

  /**
   * The container has finished with the client's response (its connection failed, or it
   * completed the request early): from now on only the cache side of the tee is written, and
   * the client's response, which the container may already have recycled, is never touched.
   */
  void forgetClient() {
    switch (state) {
      case UNDECIDED -> clientLost = true;
      case TEEING -> move(State.STORE_ONLY);
      case PASSING -> move(State.ABORTED);
      default -> { }
    }
  }

  /** The body stream: where the state says, deciding at the first byte. */
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
      switch (decide()) {
        case DISCARDING -> { }
        case TEEING -> {
          BodySink s = sink;
          if (!decider.stillStorable(TeeResponse.this)) {
            // checked before every write, since the last byte of a declared length commits the object
            sinkFailed(s);
          } else {
            // the cache first: when the client has the last byte, the object is committed, so
            // the request it sends next finds the object whole
            try {
              s.write(b, off, len);
            } catch (IOException e) {
              sinkFailed(s); // the store refused (too large, or failed): the client still gets it all
            }
          }
          checkHead();
          if (state.writesClient()) {
            clientCall(() -> clientStream().write(b, off, len));
          }
        }
        case PASSING -> {
          checkHead();
          if (state.writesClient()) {
            clientCall(() -> clientStream().write(b, off, len));
          }
        }
        case STORE_ONLY -> {
          BodySink s = sink;
          try {
            s.write(b, off, len); // a failure reaches the servlet: nobody else gets these bytes
          } catch (IOException storeFailed) {
            sinkFailed(s);
            throw new StoreWriteFailed(storeFailed);
          }
        }
        case ABORTED -> throw new IOException(clientDetached()
            ? "the object being written failed; its client is served from it" : "the client has gone");
        case FINISHED -> throw new IOException("the response has ended");
        case UNDECIDED -> throw new IllegalStateException("undecided after a decision");
      }
    }

    @Override
    public void flush() throws IOException {
      flushSink();
      if (decide().writesClient()) {
        clientCall(() -> clientStream().flush());
      }
    }

    @Override
    public void close() throws IOException {
      drainWriter();
      if (decide().writesClient()) {
        clientCall(() -> clientStream().close());
      }
    }

    @Override
    public boolean isReady() {
      if (!state.writesClient() && state != State.UNDECIDED) {
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
