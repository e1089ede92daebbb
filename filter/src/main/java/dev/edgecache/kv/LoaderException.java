package dev.edgecache.kv;

/** A {@link KeyValueCache#getOrSet} loader threw a checked exception; it is the cause. */
public class LoaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LoaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
