package dev.edgecache.servlet;

import java.io.IOException;

/**
 * The store refused a write of a response whose client is served from the object: not the
 * application's failure, which the filter tells apart ({@link #originFailed}).
 */
final class StoreWriteFailed extends IOException {
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
