package dev.edgecache.kv;

/** Why a bulk read or write of the key-value face was rejected as a whole (cascache's {@code BulkRejectReason}). */
public enum BulkRejectReason {
  /** A member's value could not be decoded by the codec. */
  VALUE_DECODE,
  /** A member was missing or stale: its generation moved while the bulk was read. */
  INVALID_OR_STALE,
  /** The caller gave no observed generation for at least one member of a conditional write. */
  MISSING_OBSERVED_GENERATION,
  /** The current generations could not be read. */
  GENERATION_SNAPSHOT_ERROR,
  /** A member's observed generation no longer matched: a delete came since it was seen. */
  GENERATION_MISMATCH
}
