package dev.edgecache;

/** Why an object was dropped when it was read. */
public enum SelfHealReason {
  /** Its generation or epoch no longer matched: it was purged while being written. */
  GENERATION_MISMATCH,
  /** One of its purge scopes was purged after its fill began. */
  SCOPE_PURGED,
  /** Its body could not be read (a chunk was missing or damaged). */
  BODY_UNREADABLE,
  /** The key-value face could not decode it with its codec. */
  VALUE_DECODE
}
