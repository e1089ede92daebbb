package dev.edgecache.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a store keeps about one object besides its body. Immutable; stores serialise it as they
 * like but must round-trip every component.
 *
 * <p>Times are milliseconds: {@code createdAtMillis} is wall-clock time (epoch millis) at insert
 * or at the last {@code update}, the others are durations. Example, an object inserted at
 * 10:00:00 with max age 60 s, stale-while-revalidate 30 s and stale-if-error 300 s:
 *
 * <pre>
 *   kind=OBJECT createdAt=10:00:00 initialAge=0 maxAge=60000 freshFor=60000 swr=30000 sie=300000 keepStale=0
 *   length=4096 vary=[accept-language] surrogateKeys=[product-42] userMetadata=3 bytes
 *   sensitive=false epoch=0 generation=7 softPurgedAt=-1
 * </pre>
 *
 * It is fresh until 10:01:00, usable while revalidating until 10:01:30, usable if the origin
 * fails until 10:06:00, and may be evicted after that.
 *
 * @param kind what the record is
 * @param createdAtMillis wall-clock time of the insert or last update
 * @param initialAgeMillis the age the object already had when it was inserted
 * @param maxAgeMillis the max age the writer gave (reported to callers)
 * @param freshForMillis the freshness lifetime in this cache: the edge max age when one was
 *     given, else the max age
 * @param staleWhileRevalidateMillis the stale-while-revalidate window after freshness ends
 * @param staleIfErrorMillis the stale-if-error window after freshness ends
 * @param keepStaleMillis how long after freshness ends the object is kept, though not usable, so
 *     that it can be revalidated (HTTP validators) rather than fetched again
 * @param length the body length in bytes, or -1 while unknown (only during a streaming write)
 * @param varyRule lower-case request header names the object varies on; empty for none
 * @param surrogateKeys tags for purges
 * @param userMetadata opaque bytes of the writer's
 * @param sensitive true if the object must never reach a persistent or shared tier
 * @param epoch the store-wide purge epoch at the start of the fill
 * @param generation the key's generation at the start of the fill
 * @param softPurgedAtMillis wall-clock time of a soft purge, or -1: freshness ends there
 * @param scopeSerial the store's scope serial at the start of the fill ({@link Generations#scopeSerial})
 * @param scopeStamps the generation of each purge scope of the object (a host, a path prefix)
 *     when its fill was written ({@link ScopeState})
 */
public record ObjectMeta(
    Kind kind,
    long createdAtMillis,
    long initialAgeMillis,
    long maxAgeMillis,
    long freshForMillis,
    long staleWhileRevalidateMillis,
    long staleIfErrorMillis,
    long keepStaleMillis,
    long length,
    List<String> varyRule,
    Set<String> surrogateKeys,
    byte[] userMetadata,
    boolean sensitive,
    long epoch,
    long generation,
    long softPurgedAtMillis,
    long scopeSerial,
    Map<String, Long> scopeStamps) {

  /** What a stored record is. */
  public enum Kind {
    /** A cached object with a body. */
    OBJECT,
    /**
     * The vary rule of a primary key, stored under the key without variant; its objects live
     * under variant keys. Has no body.
     */
    VARY_RULE,
    /**
     * A hit-for-miss marker: the last fill found the response not cacheable, so lookups do not
     * queue behind one another until it expires. Has no body.
     */
    NOT_CACHEABLE
  }

  public ObjectMeta {
    Objects.requireNonNull(kind, "kind");
    varyRule = List.copyOf(varyRule);
    surrogateKeys = Set.copyOf(surrogateKeys);
    userMetadata = userMetadata.clone();
    scopeStamps = Map.copyOf(scopeStamps);
  }

  /** A meta in no purge scope. */
  public ObjectMeta(Kind kind, long createdAtMillis, long initialAgeMillis, long maxAgeMillis,
      long freshForMillis, long staleWhileRevalidateMillis, long staleIfErrorMillis, long keepStaleMillis,
      long length, List<String> varyRule, Set<String> surrogateKeys, byte[] userMetadata, boolean sensitive,
      long epoch, long generation, long softPurgedAtMillis) {
    this(kind, createdAtMillis, initialAgeMillis, maxAgeMillis, freshForMillis, staleWhileRevalidateMillis,
        staleIfErrorMillis, keepStaleMillis, length, varyRule, surrogateKeys, userMetadata, sensitive, epoch,
        generation, softPurgedAtMillis, 0, Map.of());
  }

  /** A copy of the user metadata. */
  @Override
  public byte[] userMetadata() {
    return userMetadata.clone();
  }

  /** The number of bytes of user metadata, without copying them. */
  public int userMetadataLength() {
    return userMetadata.length;
  }

  /** The last moment (epoch millis) at which the object is fresh in this cache. */
  public long freshUntilMillis() {
    // Saturating: a max age of "forever" must not wrap around into the past.
    long natural = saturatedAdd(saturatedAdd(createdAtMillis, -initialAgeMillis), freshForMillis);
    return softPurgedAtMillis >= 0 ? Math.min(natural, softPurgedAtMillis) : natural;
  }

  /** The moment (epoch millis) after which no rule lets the object be served: a store may drop it. */
  public long expiresAtMillis() {
    return saturatedAdd(freshUntilMillis(),
        Math.max(keepStaleMillis, Math.max(staleWhileRevalidateMillis, staleIfErrorMillis)));
  }

  /** This meta with a body length. */
  public ObjectMeta withLength(long newLength) {
    return toBuilder().length(newLength).build();
  }

  /** This meta under another generation and epoch, otherwise unchanged. */
  public ObjectMeta withGeneration(long newEpoch, long newGeneration) {
    return toBuilder().epoch(newEpoch).generation(newGeneration).build();
  }

  /** This meta marked soft-purged at {@code atMillis} under a new generation. */
  public ObjectMeta withSoftPurge(long atMillis, long newEpoch, long newGeneration) {
    return toBuilder().epoch(newEpoch).generation(newGeneration)
        .softPurgedAtMillis(softPurgedAtMillis >= 0 ? Math.min(softPurgedAtMillis, atMillis) : atMillis).build();
  }

  /** This meta stale from {@code atMillis} on (a soft purge of one of its scopes), otherwise unchanged. */
  public ObjectMeta withSoftPurge(long atMillis) {
    return withSoftPurge(atMillis, epoch, generation);
  }

  /** This meta in purge scopes, stamped as given. */
  public ObjectMeta withScopes(long newScopeSerial, Map<String, Long> newScopeStamps) {
    return toBuilder().scopeSerial(newScopeSerial).scopeStamps(newScopeStamps).build();
  }

  /**
   * A meta of {@code kind} built field by field, by name; unset fields are as for a record that
   * was just made: no ages, no windows, length unknown, no vary rule, tags or metadata, not
   * sensitive, epoch and generation 0, not soft-purged, in no purge scope.
   */
  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /** A builder holding every field of this meta, to change some by name. */
  public Builder toBuilder() {
    Builder b = new Builder(kind);
    b.createdAtMillis = createdAtMillis;
    b.initialAgeMillis = initialAgeMillis;
    b.maxAgeMillis = maxAgeMillis;
    b.freshForMillis = freshForMillis;
    b.staleWhileRevalidateMillis = staleWhileRevalidateMillis;
    b.staleIfErrorMillis = staleIfErrorMillis;
    b.keepStaleMillis = keepStaleMillis;
    b.length = length;
    b.varyRule = varyRule;
    b.surrogateKeys = surrogateKeys;
    b.userMetadata = userMetadata;
    b.sensitive = sensitive;
    b.epoch = epoch;
    b.generation = generation;
    b.softPurgedAtMillis = softPurgedAtMillis;
    b.scopeSerial = scopeSerial;
    b.scopeStamps = scopeStamps;
    return b;
  }

  /** Builds an {@link ObjectMeta} by field name. Not thread-safe. */
  public static final class Builder {
    private final Kind kind;
    private long createdAtMillis;
    private long initialAgeMillis;
    private long maxAgeMillis;
    private long freshForMillis;
    private long staleWhileRevalidateMillis;
    private long staleIfErrorMillis;
    private long keepStaleMillis;
    private long length = -1;
    private List<String> varyRule = List.of();
    private Set<String> surrogateKeys = Set.of();
    private byte[] userMetadata = new byte[0];
    private boolean sensitive;
    private long epoch;
    private long generation;
    private long softPurgedAtMillis = -1;
    private long scopeSerial;
    private Map<String, Long> scopeStamps = Map.of();

    private Builder(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Builder createdAtMillis(long value) {
      this.createdAtMillis = value;
      return this;
    }

    public Builder initialAgeMillis(long value) {
      this.initialAgeMillis = value;
      return this;
    }

    /** The max age, reported to callers; also the freshness lifetime unless {@link #freshForMillis} says otherwise. */
    public Builder maxAgeMillis(long value) {
      this.maxAgeMillis = value;
      return this;
    }

    public Builder freshForMillis(long value) {
      this.freshForMillis = value;
      return this;
    }

    public Builder staleWhileRevalidateMillis(long value) {
      this.staleWhileRevalidateMillis = value;
      return this;
    }

    public Builder staleIfErrorMillis(long value) {
      this.staleIfErrorMillis = value;
      return this;
    }

    public Builder keepStaleMillis(long value) {
      this.keepStaleMillis = value;
      return this;
    }

    public Builder length(long value) {
      this.length = value;
      return this;
    }

    public Builder varyRule(List<String> value) {
      this.varyRule = value;
      return this;
    }

    public Builder surrogateKeys(Set<String> value) {
      this.surrogateKeys = value;
      return this;
    }

    public Builder userMetadata(byte[] value) {
      this.userMetadata = value;
      return this;
    }

    public Builder sensitive(boolean value) {
      this.sensitive = value;
      return this;
    }

    public Builder epoch(long value) {
      this.epoch = value;
      return this;
    }

    public Builder generation(long value) {
      this.generation = value;
      return this;
    }

    public Builder softPurgedAtMillis(long value) {
      this.softPurgedAtMillis = value;
      return this;
    }

    public Builder scopeSerial(long value) {
      this.scopeSerial = value;
      return this;
    }

    public Builder scopeStamps(Map<String, Long> value) {
      this.scopeStamps = value;
      return this;
    }

    public ObjectMeta build() {
      return new ObjectMeta(kind, createdAtMillis, initialAgeMillis, maxAgeMillis, freshForMillis,
          staleWhileRevalidateMillis, staleIfErrorMillis, keepStaleMillis, length, varyRule, surrogateKeys,
          userMetadata, sensitive, epoch, generation, softPurgedAtMillis, scopeSerial, scopeStamps);
    }
  }

  /** {@code a + b}, clamped to {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE} instead of wrapping. */
  public static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
