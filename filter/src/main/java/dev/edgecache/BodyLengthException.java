package dev.edgecache;

import java.io.IOException;

/**
 * A body ended short of, or ran past, the length declared in {@link WriteOptions#length()}. The
 * write is aborted: nothing is committed, and readers of the streaming write get an error.
 */
public class BodyLengthException extends IOException {
  private static final long serialVersionUID = 1L;

  public BodyLengthException(long declared, long actual, boolean ended) {
    super(ended
        ? "body ended after " + actual + " bytes but " + declared + " were declared; not committed"
        : "body ran past the declared length of " + declared + " bytes; not committed");
  }
}
