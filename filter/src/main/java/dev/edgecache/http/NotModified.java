package dev.edgecache.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stored response freshened by a 304 (RFC 9111 §4.3.4): each field the 304 carries replaces the
 * stored fields of that name (§3.2), except {@code Content-Type}, {@code Content-Length} and
 * {@code Content-Encoding}, which describe the stored body and stay; the status and the body stay too. What is then stored is
 * judged again as a whole ({@link StoragePlan}): a 304 that says {@code no-store} or
 * {@code private} ends the object. Pure.
 */
public final class NotModified {
  /**
   * Fields of a 304 that never replace the stored ones: they describe a body it does not have
   * (the stored body's coding is what the cache holds, which may be its own gzip).
   */
  private static final Set<String> KEPT = Set.of("content-type", "content-length", "content-encoding");

  private NotModified() {}

  /** The stored response as the 304 {@code notModified} updates it. */
  public static StoredHead merge(StoredHead stored, StoredHead notModified) {
    Set<String> replaced = new HashSet<>();
    for (StoredHead.Field f : notModified.fields()) {
      replaced.add(f.name());
    }
    List<StoredHead.Field> fields = new ArrayList<>();
    for (StoredHead.Field f : stored.fields()) {
      if (!replaced.contains(f.name()) || KEPT.contains(f.name())) {
        fields.add(f);
      }
    }
    for (StoredHead.Field f : notModified.fields()) {
      if (!KEPT.contains(f.name())) {
        fields.add(f);
      }
    }
    return new StoredHead(stored.status(), fields);
  }
}
