package dev.edgecache.spi;

import java.io.IOException;

/** A body grew past the store's maximum object size; the write was aborted. */
public class ObjectTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  public ObjectTooLargeException(long limit) {
    super("object exceeds the store's maximum object size of " + limit + " bytes; not stored");
  }
}
