package dev.edgecache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How an object is written: its freshness, stale windows, vary rule, tags, declared length, user
 * metadata and sensitivity (Fastly's {@code write-options}). Immutable; built with
 * {@link #builder(Duration)}, which requires the max age.
 *
 * <p>Example: fresh for a minute, served stale for 30 s while one caller revalidates, for five
 * minutes if the origin fails, one variant per {@code Accept-Language}:
 *
 * <pre>{@code
 * WriteOptions options = WriteOptions.builder(Duration.ofMinutes(1))
 *     .staleWhileRevalidate(Duration.ofSeconds(30))
 *     .staleIfError(Duration.ofMinutes(5))
 *     .varyRule("Accept-Language")
 *     .surrogateKeys("product-42 catalogue")
 *     .build();
 * }</pre>
 */
public final class WriteOptions {
  /** Longest surrogate key accepted, in characters. */
  public static final int MAX_SURROGATE_KEY_LENGTH = 1024;
  /** Most purge scopes an object may be in. */
  public static final int MAX_PURGE_SCOPES = 32;
  /** Longest purge scope accepted, in characters. */
  public static final int MAX_PURGE_SCOPE_LENGTH = 4096;

  private final Duration maxAge;
  private final Duration initialAge;
  private final Duration staleWhileRevalidate;
  private final Duration staleIfError;
  private final Duration keepStale;
  private final List<String> varyRule;
  private final RequestHeaders requestHeaders;
  private final Set<String> surrogateKeys;
  private final Set<String> purgeScopes;
  private final OptionalLong length;
  private final byte[] userMetadata;
  private final Duration edgeMaxAge;
  private final boolean sensitive;

  private WriteOptions(Builder b) {
    this.maxAge = b.maxAge;
    this.initialAge = b.initialAge;
    this.staleWhileRevalidate = b.staleWhileRevalidate;
    this.staleIfError = b.staleIfError;
    this.keepStale = b.keepStale;
    this.varyRule = List.copyOf(b.varyRule);
    this.requestHeaders = b.requestHeaders;
    this.surrogateKeys = Set.copyOf(b.surrogateKeys);
    this.purgeScopes = Set.copyOf(b.purgeScopes);
    this.length = b.length;
    this.userMetadata = b.userMetadata.clone();
    this.edgeMaxAge = b.edgeMaxAge;
    this.sensitive = b.sensitive;
  }

  /**
   * A builder for an object that is fresh for {@code maxAge}.
   *
   * @throws NullPointerException if {@code maxAge} is null
   * @throws IllegalArgumentException if {@code maxAge} is negative
   */
  public static Builder builder(Duration maxAge) {
    return new Builder(maxAge);
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    Builder b = new Builder(maxAge);
    b.initialAge = initialAge;
    b.staleWhileRevalidate = staleWhileRevalidate;
    b.staleIfError = staleIfError;
    b.keepStale = keepStale;
    b.varyRule.addAll(varyRule);
    b.requestHeaders = requestHeaders;
    b.surrogateKeys.addAll(surrogateKeys);
    b.purgeScopes.addAll(purgeScopes);
    b.length = length;
    b.userMetadata = userMetadata;
    b.edgeMaxAge = edgeMaxAge;
    b.sensitive = sensitive;
    return b;
  }

  /** How long the object is fresh, counted from its age at insert. */
  public Duration maxAge() {
    return maxAge;
  }

  /** The age the object already has when inserted (for example an origin's {@code Age}). */
  public Duration initialAge() {
    return initialAge;
  }

  /** How long after freshness ends the object may still be served while one caller refreshes it. */
  public Duration staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  /** How long after freshness ends the object may be served when the refresh fails. */
  public Duration staleIfError() {
    return staleIfError;
  }

  /**
   * How long after freshness ends the object is kept though not usable, so that a transaction
   * lookup finds it ({@link LookupState#FOUND}, {@link LookupState#STALE}) and its owner can
   * revalidate it instead of fetching it whole. Zero by default.
   */
  public Duration keepStale() {
    return keepStale;
  }

  /** Lower-case names of the request headers whose values select the variant; empty for none. */
  public List<String> varyRule() {
    return varyRule;
  }

  /**
   * The headers that select this object's variant; when absent, the headers of the lookup that
   * began the transaction are used.
   */
  public Optional<RequestHeaders> requestHeaders() {
    return Optional.ofNullable(requestHeaders);
  }

  /** Tags for {@link EdgeCache#purgeSurrogateKey(String)}. */
  public Set<String> surrogateKeys() {
    return surrogateKeys;
  }

  /** The purge scopes the object is in ({@link EdgeCache#purgeScope}); empty by default. */
  public Set<String> purgeScopes() {
    return purgeScopes;
  }

  /** The declared body length; a body that ends short of it or runs past it is not committed. */
  public OptionalLong length() {
    return length;
  }

  /** A copy of the user metadata; empty when none was given. */
  public byte[] userMetadata() {
    return userMetadata.clone();
  }

  /**
   * How long the object is fresh in this cache, when it differs from {@link #maxAge()} (the
   * freshness reported to callers, for caches downstream). Never longer than the max age.
   */
  public Optional<Duration> edgeMaxAge() {
    return Optional.ofNullable(edgeMaxAge);
  }

  /** Whether the object must never reach a persistent or shared tier of the store. */
  public boolean sensitive() {
    return sensitive;
  }

  @Override
  public String toString() {
    return "WriteOptions{maxAge=" + maxAge + ", initialAge=" + initialAge
        + ", staleWhileRevalidate=" + staleWhileRevalidate + ", staleIfError=" + staleIfError
        + ", keepStale=" + keepStale
        + ", varyRule=" + varyRule + ", surrogateKeys=" + surrogateKeys.size()
        + ", length=" + length + ", userMetadata=" + userMetadata.length + " bytes"
        + ", edgeMaxAge=" + edgeMaxAge + ", sensitive=" + sensitive + "}";
  }

  /** Builds {@link WriteOptions}; each setter checks its argument and names it on failure. */
  public static final class Builder {
    private Duration maxAge;
    private Duration initialAge = Duration.ZERO;
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private Duration keepStale = Duration.ZERO;
    private final List<String> varyRule = new ArrayList<>();
    private RequestHeaders requestHeaders;
    private final Set<String> surrogateKeys = new LinkedHashSet<>();
    private final Set<String> purgeScopes = new LinkedHashSet<>();
    private OptionalLong length = OptionalLong.empty();
    private byte[] userMetadata = new byte[0];
    private Duration edgeMaxAge;
    private boolean sensitive;

    private Builder(Duration maxAge) {
      maxAge(maxAge);
    }

    /** How long the object is fresh; see {@link WriteOptions#maxAge()}. */
    public Builder maxAge(Duration value) {
      this.maxAge = Args.nonNegative(value, "maxAge");
      return this;
    }

    /** The age the object already has. Default: zero. */
    public Builder initialAge(Duration value) {
      this.initialAge = Args.nonNegative(value, "initialAge");
      return this;
    }

    /** The stale-while-revalidate window (RFC 5861 §3). Default: zero. */
    public Builder staleWhileRevalidate(Duration value) {
      this.staleWhileRevalidate = Args.nonNegative(value, "staleWhileRevalidate");
      return this;
    }

    /** The stale-if-error window (RFC 5861 §4). Default: zero. */
    public Builder staleIfError(Duration value) {
      this.staleIfError = Args.nonNegative(value, "staleIfError");
      return this;
    }

    /** How long the object is kept, unusable, after it goes stale; see {@link WriteOptions#keepStale()}. */
    public Builder keepStale(Duration value) {
      this.keepStale = Args.nonNegative(value, "keepStale");
      return this;
    }

    /**
     * The vary rule as header names separated by spaces or commas, as in a {@code Vary} field.
     *
     * @throws IllegalArgumentException if a name is not an RFC 9110 token, or is {@code *}
     */
    public Builder varyRule(String headerNames) {
      Objects.requireNonNull(headerNames, "varyRule must not be null");
      List<String> names = new ArrayList<>();
      for (String name : headerNames.split("[\\s,]+")) {
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      return varyRule(names);
    }

    /** The vary rule as a list of header names; see {@link #varyRule(String)}. */
    public Builder varyRule(Collection<String> headerNames) {
      Objects.requireNonNull(headerNames, "varyRule must not be null");
      List<String> names = new ArrayList<>();
      for (String name : headerNames) {
        Objects.requireNonNull(name, "varyRule header name must not be null");
        if (name.equals("*") || !Args.isToken(name)) {
          throw new IllegalArgumentException("varyRule: not a header name: '" + name + "'");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (!names.contains(lower)) {
          names.add(lower);
        }
      }
      varyRule.clear();
      varyRule.addAll(names);
      return this;
    }

    /** The headers that select the variant; default: the lookup's. */
    public Builder requestHeaders(RequestHeaders headers) {
      this.requestHeaders = Objects.requireNonNull(headers, "requestHeaders must not be null");
      return this;
    }

    /**
     * Surrogate keys separated by spaces, as in a {@code Surrogate-Key} field.
     *
     * @throws IllegalArgumentException if a key has control characters or is over
     *     {@value #MAX_SURROGATE_KEY_LENGTH} characters
     */
    public Builder surrogateKeys(String spaceSeparated) {
      Objects.requireNonNull(spaceSeparated, "surrogateKeys must not be null");
      List<String> keys = new ArrayList<>();
      for (String k : spaceSeparated.trim().split("\\s+")) {
        if (!k.isEmpty()) {
          keys.add(k);
        }
      }
      return surrogateKeys(keys);
    }

    /** Surrogate keys as a collection; see {@link #surrogateKeys(String)}. */
    public Builder surrogateKeys(Collection<String> keys) {
      Objects.requireNonNull(keys, "surrogateKeys must not be null");
      Set<String> checked = new LinkedHashSet<>();
      for (String k : keys) {
        checked.add(checkSurrogateKey(k));
      }
      surrogateKeys.clear();
      surrogateKeys.addAll(checked);
      return this;
    }

    /**
     * The purge scopes the object is in: names, such as a host or a path prefix, that
     * {@link EdgeCache#purgeScope} purges in one step, however many objects they hold. Unlike a
     * surrogate key, a scope keeps no index of its objects: each object records the scope's
     * generation, and a lookup compares it (only after some scope was purged).
     *
     * @throws IllegalArgumentException if there are over {@value #MAX_PURGE_SCOPES}, or one is
     *     empty or over {@value #MAX_PURGE_SCOPE_LENGTH} characters
     */
    public Builder purgeScopes(Collection<String> scopes) {
      Objects.requireNonNull(scopes, "purgeScopes must not be null");
      if (scopes.size() > MAX_PURGE_SCOPES) {
        throw new IllegalArgumentException("an object may be in " + MAX_PURGE_SCOPES + " purge scopes at most");
      }
      Set<String> checked = new LinkedHashSet<>();
      for (String s : scopes) {
        checked.add(checkPurgeScope(s));
      }
      purgeScopes.clear();
      purgeScopes.addAll(checked);
      return this;
    }

    /** The body's length in bytes. */
    public Builder length(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("length must not be negative: " + bytes);
      }
      this.length = OptionalLong.of(bytes);
      return this;
    }

    /** No declared length: the body's end is its length (a body transformed as it is written). */
    public Builder lengthUnknown() {
      this.length = OptionalLong.empty();
      return this;
    }

    /** Opaque bytes kept with the object; copied. Default: none. */
    public Builder userMetadata(byte[] value) {
      this.userMetadata = Objects.requireNonNull(value, "userMetadata must not be null").clone();
      return this;
    }

    /**
     * The freshness lifetime in this cache when it should differ from the max age.
     *
     * @throws IllegalArgumentException at {@link #build()} if longer than the max age
     */
    public Builder edgeMaxAge(Duration value) {
      this.edgeMaxAge = Args.nonNegative(value, "edgeMaxAge");
      return this;
    }

    /** Keep the object out of persistent and shared tiers. Default: false. */
    public Builder sensitive(boolean value) {
      this.sensitive = value;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if the edge max age is longer than the max age
     */
    public WriteOptions build() {
      if (edgeMaxAge != null && edgeMaxAge.compareTo(maxAge) > 0) {
        throw new IllegalArgumentException(
            "edgeMaxAge " + edgeMaxAge + " must not be longer than maxAge " + maxAge);
      }
      return new WriteOptions(this);
    }
  }

  /**
   * Checks one surrogate key: 1 to {@value #MAX_SURROGATE_KEY_LENGTH} characters, no spaces or
   * control characters.
   *
   * @return the key
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the key breaks a rule
   */
  public static String checkSurrogateKey(String key) {
    Objects.requireNonNull(key, "surrogate key must not be null");
    if (key.isEmpty() || key.length() > MAX_SURROGATE_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "surrogate key must have 1 to " + MAX_SURROGATE_KEY_LENGTH + " characters");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("surrogate key has a space or control character");
      }
    }
    return key;
  }

  /**
   * Checks one purge scope: 1 to {@value #MAX_PURGE_SCOPE_LENGTH} characters.
   *
   * @return the scope
   * @throws NullPointerException if the scope is null
   * @throws IllegalArgumentException if the scope is empty or too long
   */
  public static String checkPurgeScope(String scope) {
    Objects.requireNonNull(scope, "purge scope must not be null");
    if (scope.isEmpty() || scope.length() > MAX_PURGE_SCOPE_LENGTH) {
      throw new IllegalArgumentException("a purge scope must have 1 to " + MAX_PURGE_SCOPE_LENGTH + " characters");
    }
    return scope;
  }
}
