package dev.edgecache;

/**
 * An operation that the entry's state does not allow: use after close, an owner operation on an
 * entry that does not own its key, a second insert on one transaction, an insert after the lock
 * timeout passed the key to another caller, or a body read on an entry without an object. The
 * cache is left as it was.
 */
public class CacheStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public CacheStateException(String message) {
    super(message);
  }
}
