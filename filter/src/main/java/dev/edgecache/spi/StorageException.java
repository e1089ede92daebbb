package dev.edgecache.spi;

/**
 * A store could not do what was asked: its backend is unreachable, timed out, or returned data
 * it could not decode. The core treats it as a miss (or a skipped write) and tells the listener;
 * it never fails a caller's request because the store failed.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
