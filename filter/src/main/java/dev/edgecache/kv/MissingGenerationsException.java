package dev.edgecache.kv;

import java.util.List;

/**
 * A conditional bulk write named members without an observed generation (cascache's
 * {@code MissingObservedGensError}): a caller's error, nothing was written.
 */
public final class MissingGenerationsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> keys;

  public MissingGenerationsException(List<String> keys) {
    super("no observed generation for " + keys.size() + " key(s): " + keys);
    this.keys = List.copyOf(keys);
  }

  /** The keys that had no observed generation. */
  public List<String> keys() {
    return keys;
  }
}
