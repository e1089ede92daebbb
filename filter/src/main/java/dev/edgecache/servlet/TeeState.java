package dev.edgecache.servlet;

/**
 * Where the bytes of a {@link TeeResponse} go: its states, and their moves (all of them in
 * {@link #mayMoveTo}):
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
 */
enum TeeState {
  UNDECIDED, TEEING, STORE_ONLY, PASSING, DISCARDING, ABORTED, FINISHED;

  /** Whether this state may move to {@code next}: the one table of allowed moves. */
  boolean mayMoveTo(TeeState next) {
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

  /** Whether the client's response is written through the tee. */
  boolean writesClient() {
    return this == TEEING || this == PASSING;
  }

  /** Whether the servlet's calls on the head still reach the client's response. */
  boolean headReachesClient() {
    return this != STORE_ONLY && this != ABORTED;
  }
}
