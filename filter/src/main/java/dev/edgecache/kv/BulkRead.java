package dev.edgecache.kv;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a bulk read of the key-value face found (cascache's {@code GetBulk}): the values present,
 * the keys without one, and, if the read as a whole could not be validated, why. Members whose
 * generation moved while they were read are among the missing, never among the values.
 *
 * @param values the values found, by key, in the order asked
 * @param missing the keys with no value (or one that could not be trusted)
 * @param rejected why the bulk was rejected as a whole; empty if it was not
 * @param <V> the value type
 */
public record BulkRead<V>(Map<String, V> values, List<String> missing, Optional<BulkRejectReason> rejected) {
  public BulkRead {
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    missing = List.copyOf(missing);
  }
}
