package dev.edgecache.servlet;

import dev.edgecache.http.KeyParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The configuration of {@link EdgeCacheFilter}: immutable, with a builder and a text form as
 * {@code web.xml} init-params ({@link InitParams}, which lists each with its default).
 *
 * @param cacheName the cache's name in {@code Cache-Status}
 * @param staleWhileRevalidate default stale-while-revalidate
 * @param staleIfError default stale-if-error
 * @param storeSetCookie whether responses with {@code Set-Cookie} are stored
 * @param maxRanges the most ranges honoured in one request
 * @param debugKey whether {@code Cache-Status} shows the key
 * @param adminPath the admin path, starting and ending with {@code /}
 * @param adminToken the admin bearer token, or null for no admin path
 * @param capacityBytes the in-memory store's capacity
 * @param maxObjectBytes the largest object the in-memory store keeps
 * @param lockTimeout the core cache's lock timeout
 * @param keepStale how long a stale response with validators is kept for revalidation
 * @param keySortQuery whether query parameters are sorted in the key
 * @param keyIgnoreParams query parameters left out of the key (the servlet still gets them: only
 *     for parameters it never reflects)
 * @param keyKeepParams when not empty, the only query parameters in the key; the others are
 *     hidden from the servlet too ({@link KeyParams})
 * @param keyIgnoreTracking whether the tracking parameters ({@link KeyParams#TRACKING}) are left
 *     out of the key and hidden from the servlet
 * @param keyHeaders request headers whose values are part of the key (as a vary rule)
 * @param keyCookies cookies whose values are part of the key (as a vary rule)
 * @param maxVariants the most variants one URL may have in the filter's own cache
 * @param heuristicFraction heuristic freshness as a fraction of the time since
 *     {@code Last-Modified} (RFC 9111 §4.2.2); 0 turns heuristics off
 * @param heuristicMax the longest heuristic freshness
 * @param ignoreCookies cookies that do not make a request personal (names, or prefixes ending
 *     in {@code *}), in lower case
 * @param errorMaxAge the longest a transient error status is kept; zero keeps none
 * @param overrideFields request fields (lower case) that make a request pass uncached
 * @param hitForMiss how long a key whose response could not be stored lets requests go to the
 *     origin without queueing (the hit-for-miss marker)
 * @param statusRules lifetimes by status for responses without freshness, and statuses never
 *     stored
 * @param gzip whether the cache gzips compressible responses it stores and decodes gzip for
 *     clients that do not take it ({@code ContentCoding})
 * @param tagFields the response fields whose values tag an object for purges, lower case: some of
 *     {@code surrogate-key} (Fastly's, space-separated), {@code cache-tag} (Cloudflare's,
 *     comma-separated) and {@code xkey} (Varnish's, space-separated); never sent on to clients
 * @param purgeCloudflareBatch whether a JSON purge batch may also be spelled as Cloudflare's
 *     ({@code files}, {@code prefixes} without a scheme, {@code purge_everything})
 * @param varyLanguages the languages the application serves, lower case, the default first; when
 *     given, a response that varies on {@code Accept-Language} is keyed by the one of them the
 *     request's ranges pick (RFC 4647 lookup), which the servlet is shown as the request's
 *     {@code Accept-Language}; when empty, by the ranges themselves, and by the language the
 *     origin was seen to answer them with ({@link LanguageVariants})
 * @param minUses the requests a key needs lately before its response is stored ({@link
 *     Admission}); 1 stores on the first
 * @param queryMaxBytes the largest content of a {@code QUERY} whose response is cached, the
 *     content being part of its key ({@link QueryContent}); a larger one passes
 * @param maxEncoders how many fills the cache may encode in its own coding at once, each holding
 *     an encoder's memory while it runs ({@link EncoderBudget}); a fill beyond them passes
 */
public record FilterSettings(String cacheName, Duration staleWhileRevalidate,
    Duration staleIfError, boolean storeSetCookie, int maxRanges, boolean debugKey,
    String adminPath, String adminToken, long capacityBytes, long maxObjectBytes,
    Duration lockTimeout, Duration keepStale, boolean keySortQuery, Set<String> keyIgnoreParams,
    Set<String> keyKeepParams, boolean keyIgnoreTracking, List<String> keyHeaders, List<String> keyCookies, int maxVariants, double heuristicFraction,
    Duration heuristicMax, List<String> ignoreCookies, Duration errorMaxAge, Set<String> overrideFields,
    Duration hitForMiss, dev.edgecache.http.StatusRules statusRules, boolean gzip, List<String> tagFields,
    boolean purgeCloudflareBatch, List<String> varyLanguages, int minUses, int queryMaxBytes, int maxEncoders) {

  /** Which query parameters make the key, and which the servlet is shown. */
  public KeyParams keyParams() {
    return new KeyParams(keyKeepParams, keyIgnoreParams, keyIgnoreTracking);
  }

  /** The tag fields a deployment may name ({@code tag-fields}). */
  public static final List<String> KNOWN_TAG_FIELDS = List.of("surrogate-key", "cache-tag", "xkey");

  /** The name of every init-param these settings read ({@link InitParams}). */
  public static final Set<String> INIT_PARAMS = InitParams.NAMES;

  /** The defaults. */
  public static final FilterSettings DEFAULT = new Builder().build();

  public FilterSettings {
    Objects.requireNonNull(cacheName, "cacheName");
    if (!cacheName.matches("[A-Za-z*][A-Za-z0-9_.:/%*-]*")) {
      throw new IllegalArgumentException("cache-name must be a structured-field token: '" + cacheName + "'");
    }
    requireNonNegative(staleWhileRevalidate, "stale-while-revalidate");
    requireNonNegative(staleIfError, "stale-if-error");
    if (maxRanges < 1) {
      throw new IllegalArgumentException("max-ranges must be at least 1: " + maxRanges);
    }
    Objects.requireNonNull(adminPath, "adminPath");
    if (!adminPath.startsWith("/") || !adminPath.endsWith("/") || adminPath.length() < 3) {
      throw new IllegalArgumentException("admin-path must start and end with '/': '" + adminPath + "'");
    }
    if (adminToken != null && adminToken.length() < 16) {
      throw new IllegalArgumentException("admin-token must have at least 16 characters");
    }
    if (capacityBytes < 1024 * 1024) {
      throw new IllegalArgumentException("capacity-bytes must be at least 1 MiB: " + capacityBytes);
    }
    if (maxObjectBytes < 0 || maxObjectBytes > capacityBytes) {
      throw new IllegalArgumentException("max-object-bytes must be between 0 and capacity-bytes: " + maxObjectBytes);
    }
    requireNonNegative(lockTimeout, "lock-timeout-ms");
    if (lockTimeout.isZero()) {
      throw new IllegalArgumentException("lock-timeout-ms must be positive");
    }
    requireNonNegative(keepStale, "keep-stale");
    keyIgnoreParams = Set.copyOf(keyIgnoreParams);
    keyKeepParams = Set.copyOf(keyKeepParams);
    keyHeaders = tokens(keyHeaders, "key-headers");
    keyCookies = cookieNames(keyCookies);
    if (maxVariants < 1) {
      throw new IllegalArgumentException("max-variants must be at least 1: " + maxVariants);
    }
    if (!(heuristicFraction >= 0 && heuristicFraction <= 1)) {
      throw new IllegalArgumentException("heuristic-fraction must be between 0 and 1: " + heuristicFraction);
    }
    requireNonNegative(heuristicMax, "heuristic-max");
    List<String> patterns = new ArrayList<>();
    for (String c : ignoreCookies) {
      requireToken(c.endsWith("*") ? c.substring(0, c.length() - 1) : c, "ignore-cookies", c);
      patterns.add(c); // cookie names are told apart by case, as applications tell them
    }
    ignoreCookies = List.copyOf(patterns);
    requireNonNegative(errorMaxAge, "error-max-age");
    Set<String> fields = new java.util.HashSet<>();
    for (String f : overrideFields) {
      requireToken(f, "override-fields", f);
      fields.add(f.toLowerCase(Locale.ROOT));
    }
    overrideFields = Set.copyOf(fields);
    requireNonNegative(hitForMiss, "hit-for-miss");
    Objects.requireNonNull(statusRules, "statusRules");
    if (hitForMiss.isZero()) {
      throw new IllegalArgumentException("hit-for-miss must be at least 1 second");
    }
    List<String> languages = new ArrayList<>();
    for (String l : varyLanguages) {
      String lower = l.trim().toLowerCase(Locale.ROOT);
      if (dev.edgecache.http.AcceptLanguage.contentLanguage(List.of(lower)).isEmpty()) {
        throw new IllegalArgumentException("vary-languages must list language tags such as en,de-ch: '" + l + "'");
      }
      if (!languages.contains(lower)) {
        languages.add(lower);
      }
    }
    varyLanguages = List.copyOf(languages);
    if (maxEncoders < 1) {
      throw new IllegalArgumentException("max-encoders must be at least 1: " + maxEncoders);
    }
    if (queryMaxBytes < 0 || queryMaxBytes > 16 << 20) {
      throw new IllegalArgumentException("query-max-bytes must be between 0 and 16 MiB: " + queryMaxBytes);
    }
    if (minUses < 1 || minUses > FrequencySketch.MAX_COUNT) {
      throw new IllegalArgumentException("min-uses must be between 1 and " + FrequencySketch.MAX_COUNT + ": " + minUses);
    }
    List<String> tags = new ArrayList<>();
    for (String f : tagFields) {
      String lower = f.trim().toLowerCase(Locale.ROOT);
      if (!KNOWN_TAG_FIELDS.contains(lower)) {
        throw new IllegalArgumentException("tag-fields names '" + f + "'; known: " + String.join(", ", KNOWN_TAG_FIELDS));
      }
      if (!tags.contains(lower)) {
        tags.add(lower);
      }
    }
    tagFields = List.copyOf(tags);
  }

  /**
   * A builder of the core cache as these settings shape it (lock timeout, variants per key,
   * hit-for-miss, and the bounds of the in-memory store it makes when it is given no storage).
   */
  public dev.edgecache.EdgeCacheBuilder cacheBuilder() {
    return dev.edgecache.EdgeCache.builder().lockTimeout(lockTimeout).maxVariantsPerKey(maxVariants)
        .notCacheableTtl(hitForMiss).memoryStorage(capacityBytes, maxObjectBytes);
  }

  /**
   * Whether a cookie of this name is one the deployment ignores ({@code ignore-cookies}) or keys
   * on ({@code key-cookies}): either way it does not make a request's response personal. Names
   * match exactly, case included: {@code _GA} is not the {@code _ga} an operator ignores.
   */
  public boolean cookieIsHarmless(String name) {
    if (keyCookies.contains(name)) {
      return true;
    }
    for (String p : ignoreCookies) {
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The key cookies' names, case kept: a vary rule's field names are compared without case, so
   * two that differ only in case could not be told apart there.
   */
  private static List<String> cookieNames(List<String> names) {
    Set<String> lower = new java.util.HashSet<>();
    for (String n : names) {
      requireToken(n, "key-cookies", n);
      if (!lower.add(n.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("key-cookies has two names that differ only in case: '" + n + "'");
      }
    }
    return List.copyOf(names);
  }

  /** Fails naming {@code param} and the value as given ({@code shown}) unless {@code name} is a token. */
  private static void requireToken(String name, String param, String shown) {
    if (!dev.edgecache.http.Tokens.isToken(name)) {
      throw new IllegalArgumentException(param + " has a name that is not a token: '" + shown + "'");
    }
  }

  private static List<String> tokens(List<String> names, String param) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      requireToken(n, param, n);
      out.add(n.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }

  /** A builder that starts from the defaults ({@link #DEFAULT}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Settings by name, each starting at its default; {@link #build} checks them all, as the
   * constructor does, and names the first bad one.
   */
  public static final class Builder {
    private String cacheName = "edgecache";
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private boolean storeSetCookie = false;
    private int maxRanges = 16;
    private boolean debugKey = false;
    private String adminPath = "/_edge/";
    private String adminToken = null;
    private long capacityBytes = dev.edgecache.EdgeCacheBuilder.defaultMemoryCapacityBytes();
    /** -1: the store's default for the capacity. */
    private long maxObjectBytes = -1;
    private Duration lockTimeout = Duration.ofSeconds(5);
    private Duration keepStale = Duration.ofDays(1);
    private boolean keySortQuery = false;
    private Set<String> keyIgnoreParams = Set.of();
    private Set<String> keyKeepParams = Set.of();
    private boolean keyIgnoreTracking = false;
    private List<String> keyHeaders = List.of();
    private List<String> keyCookies = List.of();
    private int maxVariants = 32;
    private double heuristicFraction = 0;
    private Duration heuristicMax = Duration.ofDays(1);
    private List<String> ignoreCookies = List.of();
    private Duration errorMaxAge = Duration.ofSeconds(10);
    private Set<String> overrideFields = Set.copyOf(dev.edgecache.http.RequestPolicy.DEFAULT_OVERRIDE_FIELDS);
    private Duration hitForMiss = Duration.ofSeconds(120);
    private dev.edgecache.http.StatusRules statusRules = dev.edgecache.http.StatusRules.DEFAULT;
    private boolean gzip = true;
    private List<String> tagFields = List.of("surrogate-key");
    private boolean purgeCloudflareBatch = false;
    private List<String> varyLanguages = List.of();
    private int minUses = 1;
    private int queryMaxBytes = 64 * 1024;
    private int maxEncoders = EncoderBudget.DEFAULT;

    private Builder() {}

    private Builder(FilterSettings s) {
      cacheName = s.cacheName;
      staleWhileRevalidate = s.staleWhileRevalidate;
      staleIfError = s.staleIfError;
      storeSetCookie = s.storeSetCookie;
      maxRanges = s.maxRanges;
      debugKey = s.debugKey;
      adminPath = s.adminPath;
      adminToken = s.adminToken;
      capacityBytes = s.capacityBytes;
      maxObjectBytes = s.maxObjectBytes;
      lockTimeout = s.lockTimeout;
      keepStale = s.keepStale;
      keySortQuery = s.keySortQuery;
      keyIgnoreParams = s.keyIgnoreParams;
      keyKeepParams = s.keyKeepParams;
      keyIgnoreTracking = s.keyIgnoreTracking;
      keyHeaders = s.keyHeaders;
      keyCookies = s.keyCookies;
      maxVariants = s.maxVariants;
      heuristicFraction = s.heuristicFraction;
      heuristicMax = s.heuristicMax;
      ignoreCookies = s.ignoreCookies;
      errorMaxAge = s.errorMaxAge;
      overrideFields = s.overrideFields;
      hitForMiss = s.hitForMiss;
      statusRules = s.statusRules;
      gzip = s.gzip;
      tagFields = s.tagFields;
      purgeCloudflareBatch = s.purgeCloudflareBatch;
      varyLanguages = s.varyLanguages;
      minUses = s.minUses;
      queryMaxBytes = s.queryMaxBytes;
      maxEncoders = s.maxEncoders;
    }

    /** Sets the cache's name in {@code Cache-Status}. */
    public Builder cacheName(String value) {
      this.cacheName = value;
      return this;
    }

    /** Sets the stale-while-revalidate of responses without the directive. */
    public Builder staleWhileRevalidate(Duration value) {
      this.staleWhileRevalidate = value;
      return this;
    }

    /** Sets the stale-if-error of responses without the directive. */
    public Builder staleIfError(Duration value) {
      this.staleIfError = value;
      return this;
    }

    /** Sets whether responses with {@code Set-Cookie} are stored (the cookie never is). */
    public Builder storeSetCookie(boolean value) {
      this.storeSetCookie = value;
      return this;
    }

    /** Sets the most ranges honoured in one request. */
    public Builder maxRanges(int value) {
      this.maxRanges = value;
      return this;
    }

    /** Sets whether {@code Cache-Status} shows the key. */
    public Builder debugKey(boolean value) {
      this.debugKey = value;
      return this;
    }

    /** Sets the admin path, starting and ending with {@code /}. */
    public Builder adminPath(String value) {
      this.adminPath = value;
      return this;
    }

    /** Sets the admin bearer token (16 characters or more), or null for no admin path. */
    public Builder adminToken(String value) {
      this.adminToken = value;
      return this;
    }

    /** Sets the in-memory store's capacity. */
    public Builder capacityBytes(long value) {
      this.capacityBytes = value;
      return this;
    }

    /** Sets the largest object the in-memory store keeps. */
    public Builder maxObjectBytes(long value) {
      this.maxObjectBytes = value;
      return this;
    }

    /** Sets the core cache's lock timeout. */
    public Builder lockTimeout(Duration value) {
      this.lockTimeout = value;
      return this;
    }

    /** Sets how long a stale response is kept past its lifetime. */
    public Builder keepStale(Duration value) {
      this.keepStale = value;
      return this;
    }

    /** Sets whether query parameters are sorted in the key. */
    public Builder keySortQuery(boolean value) {
      this.keySortQuery = value;
      return this;
    }

    /** Sets query parameters left out of the key. */
    public Builder keyIgnoreParams(Set<String> value) {
      this.keyIgnoreParams = value;
      return this;
    }

    /** Sets the only query parameters in the key (empty: all); the others are hidden from the servlet. */
    public Builder keyKeepParams(Set<String> value) {
      this.keyKeepParams = value;
      return this;
    }

    /** Sets whether the tracking parameters ({@link KeyParams#TRACKING}) are left out of the key and hidden. */
    public Builder keyIgnoreTracking(boolean value) {
      this.keyIgnoreTracking = value;
      return this;
    }

    /** Sets request headers whose values are part of the key. */
    public Builder keyHeaders(List<String> value) {
      this.keyHeaders = value;
      return this;
    }

    /** Sets cookies whose values are part of the key. */
    public Builder keyCookies(List<String> value) {
      this.keyCookies = value;
      return this;
    }

    /** Sets the most variants one URL may have. */
    public Builder maxVariants(int value) {
      this.maxVariants = value;
      return this;
    }

    /** Sets heuristic freshness as a fraction of the time since {@code Last-Modified}; 0 is off. */
    public Builder heuristicFraction(double value) {
      this.heuristicFraction = value;
      return this;
    }

    /** Sets the longest heuristic freshness. */
    public Builder heuristicMax(Duration value) {
      this.heuristicMax = value;
      return this;
    }

    /** Sets cookies that do not make a request personal (names, or prefixes ending in {@code *}). */
    public Builder ignoreCookies(List<String> value) {
      this.ignoreCookies = value;
      return this;
    }

    /** Sets the longest a transient error status is kept; zero keeps none. */
    public Builder errorMaxAge(Duration value) {
      this.errorMaxAge = value;
      return this;
    }

    /** Sets request fields that make a request pass uncached. */
    public Builder overrideFields(Set<String> value) {
      this.overrideFields = value;
      return this;
    }

    /** Sets how long a key whose response could not be stored lets requests go to the origin without queueing. */
    public Builder hitForMiss(Duration value) {
      this.hitForMiss = value;
      return this;
    }

    /** Sets the lifetimes by status for responses without freshness, and the statuses never stored. */
    /** Whether the cache gzips compressible responses as it stores them, and decodes for clients without gzip. Default: true. */
    public Builder gzip(boolean value) {
      this.gzip = value;
      return this;
    }

    public Builder tagFields(List<String> value) {
      this.tagFields = List.copyOf(value);
      return this;
    }

    public Builder purgeCloudflareBatch(boolean value) {
      this.purgeCloudflareBatch = value;
      return this;
    }

    /** Sets the languages the application serves, the default first ({@code vary-languages}). */
    public Builder varyLanguages(List<String> value) {
      this.varyLanguages = value;
      return this;
    }

    /** Sets the requests a key needs before its response is stored ({@code min-uses}). */
    public Builder minUses(int value) {
      this.minUses = value;
      return this;
    }

    /** Sets the largest {@code QUERY} content whose response is cached ({@code query-max-bytes}). */
    public Builder queryMaxBytes(int value) {
      this.queryMaxBytes = value;
      return this;
    }

    /** Sets how many fills the cache may encode at once ({@code max-encoders}). */
    public Builder maxEncoders(int value) {
      this.maxEncoders = value;
      return this;
    }

    public Builder statusRules(dev.edgecache.http.StatusRules value) {
      this.statusRules = value;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the first bad setting and its value
     */
    public FilterSettings build() {
      long maxObjectBytes = this.maxObjectBytes == -1
          ? dev.edgecache.EdgeCacheBuilder.defaultMemoryMaxObjectBytes(capacityBytes) : this.maxObjectBytes;
      return new FilterSettings(cacheName, staleWhileRevalidate, staleIfError, storeSetCookie, maxRanges, debugKey, adminPath, adminToken, capacityBytes, maxObjectBytes, lockTimeout, keepStale, keySortQuery, keyIgnoreParams, keyKeepParams, keyIgnoreTracking, keyHeaders, keyCookies, maxVariants, heuristicFraction, heuristicMax, ignoreCookies, errorMaxAge, overrideFields, hitForMiss, statusRules, gzip, tagFields, purgeCloudflareBatch, varyLanguages, minUses, queryMaxBytes, maxEncoders);
    }
  }

  /**
   * Settings from init-params; absent ones keep their defaults.
   *
   * @param param an init-param by name, or null when absent
   * @throws IllegalArgumentException naming the parameter and the bad value
   */
  public static FilterSettings fromInitParams(Function<String, String> param) {
    return InitParams.parse(param);
  }

  /**
   * The response fields meant for this cache alone, lower case, never sent to clients: its own
   * {@code Surrogate-Control} and {@code Surrogate-Key}, and each field named in {@code tag-fields}.
   */
  public Set<String> edgeOnlyFields() {
    Set<String> fields = new java.util.HashSet<>(dev.edgecache.http.EdgeControl.EDGE_ONLY_FIELDS);
    fields.addAll(tagFields);
    return Set.copyOf(fields);
  }

  /** The heuristic for {@code FreshnessLifetime}, or null when heuristics are off. */
  dev.edgecache.http.FreshnessLifetime.Heuristic heuristic() {
    return heuristicFraction > 0
        ? new dev.edgecache.http.FreshnessLifetime.Heuristic(heuristicFraction, heuristicMax.toSeconds()) : null;
  }

  /** The settings with the admin token hidden, for logs. */
  @Override
  public String toString() {
    return "FilterSettings{cache-name=" + cacheName + ", stale-while-revalidate=" + staleWhileRevalidate.toSeconds()
        + ", stale-if-error=" + staleIfError.toSeconds() + ", store-set-cookie=" + storeSetCookie
        + ", max-ranges=" + maxRanges + ", debug-key=" + debugKey + ", admin-path=" + adminPath
        + ", admin-token=" + (adminToken == null ? "none" : "set") + ", capacity-bytes=" + capacityBytes
        + ", max-object-bytes=" + maxObjectBytes + ", lock-timeout-ms=" + lockTimeout.toMillis()
        + ", keep-stale=" + keepStale.toSeconds() + ", key-sort-query=" + keySortQuery
        + ", key-ignore-params=" + keyIgnoreParams + ", key-keep-params=" + keyKeepParams
        + ", key-ignore-tracking=" + keyIgnoreTracking + ", key-headers=" + keyHeaders
        + ", key-cookies=" + keyCookies + ", max-variants=" + maxVariants
        + ", heuristic-fraction=" + heuristicFraction + ", heuristic-max=" + heuristicMax.toSeconds()
        + ", ignore-cookies=" + ignoreCookies + ", error-max-age=" + errorMaxAge.toSeconds()
        + ", override-fields=" + new java.util.TreeSet<>(overrideFields)
        + ", hit-for-miss=" + hitForMiss.toSeconds() + ", status-ttl=" + new java.util.TreeMap<>(statusRules.lifetimes())
        + ", never-store-statuses=" + new java.util.TreeSet<>(statusRules.neverStored()) + ", gzip=" + gzip + ", tag-fields=" + tagFields + ", purge-cloudflare-batch=" + purgeCloudflareBatch + ", vary-languages=" + varyLanguages + ", min-uses=" + minUses + ", query-max-bytes=" + queryMaxBytes + ", max-encoders=" + maxEncoders + "}";
  }
}
