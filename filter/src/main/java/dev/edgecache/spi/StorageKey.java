package dev.edgecache.spi;

import dev.edgecache.CacheKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where one object lives in a store: the caller's primary key plus a variant.
 *
 * <p>The variant is empty for an object that does not vary, and for the record that holds a key's
 * vary rule; otherwise it is a digest of the request header values that the vary rule selects, so
 * that one primary key holds several independent objects. Stores group variants by primary key
 * so that a purge of the primary key reaches every variant.
 */
public final class StorageKey {
  private static final byte[] NO_VARIANT = new byte[0];

  private final CacheKey primary;
  private final byte[] variant;
  private final int hash;

  private StorageKey(CacheKey primary, byte[] variant) {
    this.primary = primary;
    this.variant = variant;
    this.hash = 31 * primary.hashCode() + Arrays.hashCode(variant);
  }

  /** The key of the object (or vary rule) stored directly under {@code primary}. */
  public static StorageKey of(CacheKey primary) {
    return new StorageKey(Objects.requireNonNull(primary, "primary"), NO_VARIANT);
  }

  /** The key of one variant of {@code primary}. */
  public static StorageKey of(CacheKey primary, byte[] variant) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(variant, "variant");
    return new StorageKey(primary, variant.length == 0 ? NO_VARIANT : variant.clone());
  }

  public CacheKey primary() {
    return primary;
  }

  /** A copy of the variant bytes; empty when this key names no variant. */
  public byte[] variant() {
    return variant.length == 0 ? NO_VARIANT : variant.clone();
  }

  public boolean hasVariant() {
    return variant.length > 0;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof StorageKey other
            && hash == other.hash
            && primary.equals(other.primary)
            && Arrays.equals(variant, other.variant));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return variant.length == 0 ? primary.toString() : primary + "#" + HexFormat.of().formatHex(variant, 0, Math.min(8, variant.length));
  }
}
