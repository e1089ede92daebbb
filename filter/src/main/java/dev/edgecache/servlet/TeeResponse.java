package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import dev.edgecache.http.ContentCoding;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The response the origin writes to during a fill or a pass: a state machine that decides, when
 * the response is first written, flushed or ended, what becomes of it, and from then on sends
 * every byte where its state says. Nothing is buffered beyond what the container buffers itself:
 * the writer encodes each call straight into the stream ({@link EncodingWriter}), so no path that
 * ends a response (the chain's return, {@code complete()}, an error) can leave bytes behind.
 *
 * <p>Its states are {@link TeeState}'s, in the one field {@link #state}, moved only by {@link #move}.
 *
 * <p>The servlet's thread moves the state; other threads (a follower, a watcher of a fill whose
 * client left) read it, hence {@code volatile}.
 */
final class TeeResponse extends EdgeFieldsResponse {
  private final TeeDecider decider;
  private volatile TeeState state = TeeState.UNDECIDED;
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
  /** Whether the client gets the origin's gzip decoded ({@link #decodeForClient}). */
  private volatile boolean decodesForClient;
  /** The origin's {@code Content-Length} when the client is served decoded. */
  private volatile String originLength;
  /** The state {@link #finish} found; null before. */
  private volatile TeeState endedIn;

  private final FilterStats stats;
  /** When the origin was asked, for its latency: this wrapper is made just before. */
  private final long askedNanos = System.nanoTime();

  /**
   * @param edgeOnlyFields the lower-case names of the fields kept from the client
   *     ({@code FilterSettings.edgeOnlyFields})
   */
  TeeResponse(HttpServletResponse client, FilterStats stats, java.util.Set<String> edgeOnlyFields, TeeDecider decider) {
    super(client, edgeOnlyFields);
    this.stats = stats;
    stats.originRequests.increment(); // made just before the origin is asked, once per request sent
    this.decider = decider;
  }

  /** Moves to {@code next}; every change of {@link #state} goes through here. */
  private synchronized void move(TeeState next) {
    TeeState now = state;
    if (now == next) {
      return;
    }
    if (!now.mayMoveTo(next)) {
      throw new IllegalStateException("response state " + now + " cannot move to " + next);
    }
    if (next != TeeState.TEEING && next != TeeState.STORE_ONLY) {
      BodySink dropped = sink;
      sink = null;
      if (dropped != null) {
        // Every move that ends the cache side on purpose has ended the sink already; one left
        // open here would keep the requests that follow the object waiting for ever.
        dropped.abort();
      }
    }
    state = next;
  }

  TeeState state() {
    return state;
  }

  /** The state the response was in when it finished; null if it has not. */
  TeeState endedIn() {
    return endedIn;
  }

  /** Whether a reset or an error page of the container's made this response unfit for storing. */
  boolean tainted() {
    return tainted;
  }

  /** Whether the body went through this wrapper at all (or around it, to the original response). */
  boolean touched() {
    return touched;
  }

  /** Records that a body byte or a flush went through this wrapper. */
  void touch() {
    touched = true;
  }

  /** The cache side while {@code TEEING} or {@code STORE_ONLY}; else null. */
  BodySink sink() {
    return sink;
  }

  /** Whether what happened since the decision still lets the response be stored. */
  boolean stillStorable() {
    return decider.stillStorable(this);
  }

  /** Records that the servlet asked for non-blocking output. */
  void nonBlocking() {
    servletNonBlocking = true;
  }

  /** The client's response, under this wrapper. */
  HttpServletResponse client() {
    return (HttpServletResponse) getResponse();
  }

  /** Opens the cache side of the tee: client and sink get every byte. Called by the decider. */
  void tee(BodySink cacheSink) {
    move(clientLost ? TeeState.STORE_ONLY : TeeState.TEEING);
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
    move(TeeState.STORE_ONLY);
    this.sink = cacheSink;
  }

  /**
   * Serves the client the origin's gzip decoded, as every later client of its variant is served
   * from the object ({@code ContentCoding.decodesFor}): the client's head becomes {@code decoded}'s
   * for the fields that decoding changes ({@code ContentCoding.DECODING_CHANGES}), and its body is
   * decoded on the way. Called by the decider with the tee, before the first byte.
   */
  void decodeForClient(StoredHead decoded) {
    HttpServletResponse c = client();
    originLength = c.getHeader("Content-Length");
    for (String name : ContentCoding.DECODING_CHANGES) {
      c.setHeader(name, null);
    }
    for (StoredHead.Field f : decoded.fields()) {
      if (ContentCoding.DECODING_CHANGES.contains(f.name())) {
        c.addHeader(f.name(), f.value());
      }
    }
    decodesForClient = true;
  }

  /** The {@code Content-Length} the origin declared, which a client served decoded is not told; null if none. */
  String originContentLength() {
    return decodesForClient ? originLength : getHeader("Content-Length");
  }

  /** Whether the client gets the origin's gzip decoded. */
  boolean decodesForClient() {
    return decodesForClient;
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

  @Override
  boolean headReachesClient() {
    return state.headReachesClient();
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
      if ((state.writesClient() || state == TeeState.UNDECIDED) && !isCommitted()) {
        super.sendError(sc);
      }
      return;
    }
    if (!headReachesClient()) {
      abortSink(); // the client's follower learns from the object that it failed
      return;
    }
    recordStatus(sc);
    // The container writes the error page outside this wrapper: never stored, and not said to be
    // (a 404 would otherwise be planned for the lifetime its status gets by default).
    tainted = true;
    if (decide() == TeeState.DISCARDING) {
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
    recordStatus(SC_FOUND);
    if (decide() != TeeState.DISCARDING) {
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
      stream = new TeeStream(this, stats);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      if (stream != null) {
        throw new IllegalStateException("getOutputStream() has already been called");
      }
      stream = new TeeStream(this, stats);
      writer = stream.writer(Charset.forName(getCharacterEncoding()));
    }
    return writer;
  }

  /** Brings what the writer holds (at most half a surrogate pair) into the current state. */
  private void drainWriter() throws IOException {
    if (stream != null) {
      stream.drainWriter();
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
   * The origin flushed: a sink that holds bytes back (the cache's own coding) lets them go, so
   * that the requests following the fill get them now, as the client does.
   */
  void flushSink() {
    BodySink s = sink;
    if (s instanceof EncodingSink) {
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
    clearHead();
    stream = null;
    writer = null;
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
    TeeState s = state;
    if (s != TeeState.UNDECIDED && s != TeeState.FINISHED) {
      BodySink open = sink;
      if (open != null) {
        open.abort();
      }
      tainted = true;
      move(TeeState.UNDECIDED);
    }
  }

  @Override
  public boolean isCommitted() {
    TeeState s = state;
    return s == TeeState.STORE_ONLY || s == TeeState.ABORTED || (s != TeeState.DISCARDING && super.isCommitted());
  }

  /** The response as decided, deciding now if nothing was written. */
  TeeState decide() {
    if (state == TeeState.UNDECIDED) {
      stats.originAnswered(System.nanoTime() - askedNanos);
      stats.originResponded(getStatus());
      TeeDecider.Mode mode = decider.decide(this);
      switch (mode) {
        case STORE -> {
          if (state == TeeState.UNDECIDED) {
            throw new IllegalStateException("a decider that stores opens the sink");
          }
        }
        case PASS -> move(clientLost ? TeeState.ABORTED : TeeState.PASSING);
        case DISCARD -> move(TeeState.DISCARDING);
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
      endClientBody();
      BodySink s = sink;
      sink = null;
      boolean stored = s != null && decider.commit(this, s);
      decider.ended(this, stored);
      return stored;
    } finally {
      if (state != TeeState.FINISHED) {
        endedIn = state;
        move(TeeState.FINISHED);
      }
      ColdAnswer.finishUnder(getResponse()); // a range held back until the body's end
    }
  }

  /**
   * Before the first byte of the body reaches the client, a large head is written on its own,
   * so that a container that refuses it (larger than it allows) says so here, where the object
   * can still be dropped; else it would find out only as the request ends, with the object
   * stored and every hit failing the same way ({@link RefusedHead}).
   */
  void checkHead() throws IOException {
    if (!headChecked && state.writesClient()) {
      headChecked = true;
      if (!super.isCommitted() && RefusedHead.large(client())) {
        clientCall(() -> super.flushBuffer());
      }
    }
  }

  /**
   * Ends the body of a client served through a decoder: a gzip that ended midway is the
   * origin's failure, so nothing is stored, and the client's response is broken off.
   */
  private void endClientBody() throws IOException {
    if (stream != null && state.writesClient()) {
      try {
        stream.endClientBody();
      } catch (GzipDecoder.Malformed e) {
        abortSink();
        throw e;
      }
    }
  }

  /** The store failed the write ({@link StoreWriteFailed}): the sink is gone, the response was good. */
  void dropFailedSink() {
    loseSink();
  }

  /** The store refused or failed {@code s}: a client written through the tee still gets every byte. */
  void sinkFailed(BodySink s) {
    s.abort();
    loseSink();
  }

  /** The origin failed, or changed its response: whatever was teed is not stored. */
  void abortSink() {
    originFailed = true; // before the abort: a follower that sees the abort sees this too
    BodySink s = sink;
    if (s != null) {
      s.abort();
      decider.failed(this);
    }
    loseSink();
  }

  /** The cache side is gone: a client written through the tee still gets it all; one that follows the object does not. */
  private void loseSink() {
    if (state == TeeState.TEEING) {
      move(TeeState.PASSING);
    } else if (state == TeeState.STORE_ONLY) {
      move(TeeState.ABORTED);
    }
  }

  interface ClientCall {
    void run() throws IOException;
  }

  /**
   * Runs a call on the client's response. A client that has gone is not the origin's problem
   * while the cache is being filled: the tee goes on for the sink alone. A container that fails
   * the call as it writes a large head, with anything but an I/O error, refused the head (larger
   * than it allows): that response is never stored ({@link RefusedHead}).
   */
  void clientCall(ClientCall call) throws IOException {
    boolean headOut = super.isCommitted();
    try {
      call.run();
    } catch (GzipDecoder.Malformed e) {
      abortSink(); // the origin's gzip does not decode: not the client's failure, and not stored
      throw e;
    } catch (IOException | RuntimeException e) {
      if (!headOut && RefusedHead.in(e) && RefusedHead.large(client())) {
        headRefused = true;
        stats.notStored.add("head-refused");
        BodySink s = sink;
        if (s != null) {
          s.abort();
        }
        move(TeeState.DISCARDING);
        return;
      }
      // a container may throw anything once its client is gone (a recycled response, say)
      if (goesOnWithoutClient()) {
        return;
      }
      throw e;
    }
  }

  /**
   * The client's response failed under a call: a tee goes on for its sink alone, and a response
   * already detached from its client ({@link #forgetClient}, which the container may call on its
   * own thread while the servlet's call fails) stays so; anything else is aborted. Returns whether
   * the servlet's writes go on.
   */
  private synchronized boolean goesOnWithoutClient() {
    switch (state) {
      case TEEING -> move(TeeState.STORE_ONLY);
      case STORE_ONLY -> { }
      default -> {
        if (state.mayMoveTo(TeeState.ABORTED)) {
          move(TeeState.ABORTED);
        }
        return false;
      }
    }
    return true;
  }

  /**
   * The container has finished with the client's response (its connection failed, or it
   * completed the request early): from now on only the cache side of the tee is written, and
   * the client's response, which the container may already have recycled, is never touched.
   */
  synchronized void forgetClient() {
    switch (state) {
      case UNDECIDED -> clientLost = true;
      case TEEING -> move(TeeState.STORE_ONLY);
      case PASSING -> move(TeeState.ABORTED);
      default -> { }
    }
  }
}
