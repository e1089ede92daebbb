package dev.edgecache.servlet;

import dev.edgecache.BodySink;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Decides, once, what becomes of a {@link TeeResponse}: stored, passed, or discarded. */
interface TeeDecider {
  /** What the decider made of the response. */
  enum Mode {
    /** Stored: the sink is open. */
    STORE,
    PASS,
    DISCARD
  }

  /**
   * Decides, when the response is first written, flushed or ended; a decider that stores opens
   * the sink first ({@link TeeResponse#tee}, {@link TeeResponse#storeOnly}).
   */
  Mode decide(TeeResponse response);

  /**
   * Checked before the cache write commits: whether what happened since the decision (a
   * session cookie added late, say) still lets the response be stored.
   */
  default boolean stillStorable(TeeResponse response) {
    return true;
  }

  /**
   * A response whose client was detached ({@link TeeResponse#storeOnly}) turned out not to be
   * storable after all: its object was committed, for the clients that follow it, and must now go.
   */
  default void unstore(TeeResponse response) {}

  /**
   * The application failed, or changed its response, after the decision: nothing of it is stored,
   * and what the client's head said about storing is taken back if it has not left yet.
   */
  default void failed(TeeResponse response) {}

  /**
   * Ends the cache write of a response that finished: commits it if it may still be stored
   * ({@link #stillStorable}); returns whether the object is stored. A response whose client
   * follows the object is committed whole even if it may not be stored (its clients read it),
   * then removed ({@link #unstore}).
   */
  default boolean commit(TeeResponse response, BodySink sink) {
    if (!stillStorable(response)) {
      if (!response.clientDetached()) {
        sink.abort();
        return false;
      }
      try {
        sink.close();
      } catch (IOException e) {
        // short of its length: its followers learn so from the object
      }
      unstore(response);
      return false;
    }
    try {
      sink.close();
      return sink.keeps(); // a write shared only with its waiters is not stored
    } catch (IOException e) {
      return false; // short of its Content-Length, or the store failed: not stored
    }
  }

  /**
   * The response finished, its object stored or not: the client's answer may still be changed
   * if its head has not left. By default, a head the container refused ({@link
   * TeeResponse#headRefused}) is answered 502 where the container lets the response be reset.
   */
  default void ended(TeeResponse response, boolean stored) {
    HttpServletResponse client = response.client();
    if (response.headRefused() && !client.isCommitted()) {
      try {
        client.reset();
        client.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
        client.setContentLength(0);
      } catch (IllegalStateException committed) {
        // the container answered itself (a 500): nothing else can be said
      }
    }
  }
}
