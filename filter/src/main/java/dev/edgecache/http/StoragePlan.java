package dev.edgecache.http;

import dev.edgecache.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a shared cache does with one response (RFC 9111 §3, §4.2): store it, with the head to keep
 * and the write options (lifetime, age, stale windows, variant rule, tags, length), or pass it,
 * with the reason. The one place where a response's fields become a storage decision, in the way
 * OkHttp's {@code CacheStrategy} and HttpClient's {@code ResponseCachingPolicy} are written. Pure:
 * every input is a value, and {@code now} is given.
 *
 * @param decision {@link StorePolicy.Decision#STORE}, or why the response passes
 * @param head the head to store; null unless stored
 * @param options how to store it; null unless stored
 */
public record StoragePlan(StorePolicy.Decision decision, StoredHead head, WriteOptions options) {
  /**
   * The most bytes of purge tags one response may carry, counted as their UTF-8 bytes and one
   * separator each (Fastly indexes up to 16 KB of {@code Surrogate-Key}). Past it the response
   * is not stored: stored, it could not be purged by every tag it names.
   */
  public static final int MAX_TAG_BYTES = 16 * 1024;

  /**
   * The deployment's rules for storing.
   *
   * @param storeSetCookie whether responses with {@code Set-Cookie} are stored (the cookie never is)
   * @param errorMaxAge the longest a transient error is kept; zero keeps none
   * @param staleWhileRevalidate the stale-while-revalidate of a response without the directive
   * @param staleIfError the stale-if-error of a response without the directive
   * @param keepStale how long a stale object is kept to be revalidated, or served while the origin
   *     cannot be reached
   * @param heuristic heuristic freshness, or null when heuristics are off
   * @param keyVary names added to every response's vary rule (the deployment's key fields)
   * @param statuses lifetimes by status for responses that say nothing of freshness, and statuses
   *     never stored
   * @param tagFields the lower-case response fields whose values tag the object for purges
   *     ({@code surrogate-key}, {@code cache-tag}, {@code xkey}); never stored in its head
   */
  public record Rules(boolean storeSetCookie, Duration errorMaxAge, Duration staleWhileRevalidate,
      Duration staleIfError, Duration keepStale, FreshnessLifetime.Heuristic heuristic, List<String> keyVary,
      StatusRules statuses, List<String> tagFields) {
    public Rules {
      Objects.requireNonNull(errorMaxAge, "errorMaxAge");
      Objects.requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
      Objects.requireNonNull(staleIfError, "staleIfError");
      Objects.requireNonNull(keepStale, "keepStale");
      Objects.requireNonNull(statuses, "statuses");
      keyVary = List.copyOf(keyVary);
      tagFields = List.copyOf(tagFields);
    }

    /** Rules whose tags come from {@code Surrogate-Key} alone. */
    public Rules(boolean storeSetCookie, Duration errorMaxAge, Duration staleWhileRevalidate,
        Duration staleIfError, Duration keepStale, FreshnessLifetime.Heuristic heuristic, List<String> keyVary,
        StatusRules statuses) {
      this(storeSetCookie, errorMaxAge, staleWhileRevalidate, staleIfError, keepStale, heuristic, keyVary,
          statuses, List.of("surrogate-key"));
    }

    /** Rules with no rules by status ({@link StatusRules#NONE}). */
    public Rules(boolean storeSetCookie, Duration errorMaxAge, Duration staleWhileRevalidate,
        Duration staleIfError, Duration keepStale, FreshnessLifetime.Heuristic heuristic, List<String> keyVary) {
      this(storeSetCookie, errorMaxAge, staleWhileRevalidate, staleIfError, keepStale, heuristic, keyVary,
          StatusRules.NONE);
    }
  }

  public StoragePlan {
    Objects.requireNonNull(decision, "decision");
    if ((decision == StorePolicy.Decision.STORE) != (head != null && options != null)) {
      throw new IllegalArgumentException("a plan stores exactly when it has a head and options");
    }
  }

  /** A plan that passes the response for {@code reason}. */
  public static StoragePlan pass(StorePolicy.Decision reason) {
    return new StoragePlan(reason, null, null);
  }

  /** Whether the response is stored. */
  public boolean stores() {
    return decision == StorePolicy.Decision.STORE;
  }

  /**
   * The plan for a response.
   *
   * @param request what counts of the request (its credentials already judged, or left out where
   *     they must not count, as for a 304 that freshens what a request without them fetched)
   * @param response every field of the response as received, edge-only ones included, in order
   * @param rules the deployment's rules
   * @param requestTimeMillis when the request was sent to the origin
   * @param responseTimeMillis when the response arrived
   */
  public static StoragePlan of(StorePolicy.Request request, StoredHead response, Rules rules,
      long requestTimeMillis, long responseTimeMillis) {
    if (rules.statuses().refuses(response.status())) {
      return pass(StorePolicy.Decision.STATUS);
    }
    CacheControl cc = directives(response);
    VaryRule vary = VaryRule.parse(response.values("vary"));
    StorePolicy.Decision decision = StorePolicy.decide(request,
        new StorePolicy.Response(response.status(), cc,
            cc.maxAge().isPresent() || cc.sMaxAge().isPresent() || !response.values("expires").isEmpty(),
            !response.values("set-cookie").isEmpty(), vary),
        rules.storeSetCookie(), !rules.errorMaxAge().isZero());
    if (decision != StorePolicy.Decision.STORE) {
      return pass(decision);
    }
    if (variesOnCoding(vary, rules) && !AcceptEncoding.keyTellsApart(ContentCoding.coding(response))) {
      // keyed by the codings the cache knows, its variant holds clients that may not take this one
      return pass(StorePolicy.Decision.CODING);
    }
    // Qualified private and no-cache name fields that may be stored only without them (§5.2.2.4, §5.2.2.7).
    Set<String> excluded = new HashSet<>(cc.privateFields());
    excluded.addAll(cc.noCacheFields());
    excluded.addAll(rules.tagFields()); // kept as the object's tags, never replayed
    List<String> tags = tags(response, rules.tagFields());
    if (tags == null) {
      return pass(StorePolicy.Decision.TAGS);
    }
    Optional<StoredHead> head = StoredHead.storable(response.status(), response.fields(), excluded);
    if (head.isEmpty()) {
      return pass(StorePolicy.Decision.FIELD_VALUE);
    }
    // what the origin says, else a heuristic, else the deployment's lifetime for the status
    OptionalLong said = FreshnessLifetime.seconds(cc, response.values("expires"), response.values("date"),
        response.values("last-modified"), response.status(), responseTimeMillis, rules.heuristic());
    long lifetime = said.isPresent() ? said.getAsLong() : rules.statuses().lifetime(response.status()).orElse(0);
    WriteOptions options = options(cc, vary, head.get(), response, lifetime, rules, tags, requestTimeMillis,
        responseTimeMillis);
    if (!usableLater(options)) {
      return pass(StorePolicy.Decision.LIFETIME);
    }
    return new StoragePlan(StorePolicy.Decision.STORE, head.get(), options);
  }

  /**
   * This plan with the cache's own notes on {@code stored}'s head (fields named from ':', such
   * as its coding markers) kept on the head it stores: a 304 replaces header fields (RFC 9111
   * §3.2), and those notes describe the stored body, which it does not replace.
   */
  public StoragePlan keepingNotesOf(StoredHead stored) {
    if (!stores()) {
      return this;
    }
    List<StoredHead.Field> fields = new ArrayList<>(head.fields());
    for (StoredHead.Field f : stored.fields()) {
      if (f.name().startsWith(":") && head.first(f.name()) == null) {
        fields.add(f);
      }
    }
    if (fields.size() == head.fields().size()) {
      return this;
    }
    StoredHead noted = new StoredHead(head.status(), fields);
    return new StoragePlan(decision, noted, options.toBuilder().userMetadata(noted.encode()).build());
  }

  /** Whether the response's variants, or the deployment's key, are keyed by {@code Accept-Encoding}. */
  private static boolean variesOnCoding(VaryRule vary, Rules rules) {
    for (String name : vary.names()) {
      if (name.equalsIgnoreCase("accept-encoding")) {
        return true;
      }
    }
    return rules.keyVary().stream().anyMatch(n -> n.equalsIgnoreCase("accept-encoding"));
  }

  /**
   * The representation stored for a response this plan stores, in the purge scopes given, with
   * its content coding chosen: a compressible response without a coding is stored as two
   * variants at most whatever {@code Accept-Encoding}'s spelling (RFC 9110 §12.5.3), gzip made at
   * the edge for a client that takes it, and identity.
   *
   * @param scopes the object's purge scopes (its host and path prefixes)
   * @param gzip whether the deployment negotiates codings at all
   * @param clientTakesGzip whether the request that fills the key accepts gzip
   * @throws IllegalStateException if the plan does not store
   */
  public Coded coded(List<String> scopes, boolean gzip, boolean clientTakesGzip) {
    return coded(scopes, gzip, clientTakesGzip ? "gzip" : null);
  }

  /**
   * As {@link #coded(List, boolean, boolean)}, for the coding variant of the request that fills
   * the key ({@link ContentCoding#variantOf(AcceptEncoding, List)}): {@code gzip}, {@code br} or
   * {@code zstd}, made at the edge, or null for identity.
   */
  public Coded coded(List<String> scopes, boolean gzip, String variant) {
    if (!stores()) {
      throw new IllegalStateException("a plan that passes has no representation");
    }
    WriteOptions scoped = options.toBuilder().purgeScopes(scopes).build();
    long length = scoped.length().orElse(-1);
    boolean negotiated = gzip && ContentCoding.negotiable(head, length);
    if (!negotiated) {
      return new Coded(head, scoped, false, false);
    }
    boolean gzipsHere = variant != null && ContentCoding.gzipsAtEdge(head, length);
    StoredHead coded = gzipsHere ? ContentCoding.codedHead(head, variant) : ContentCoding.negotiatedHead(head);
    WriteOptions.Builder b = scoped.toBuilder().userMetadata(coded.encode())
        .varyRule(ContentCoding.negotiatedRule(scoped.varyRule()));
    return new Coded(coded, (gzipsHere ? b.lengthUnknown() : b).build(), true, gzipsHere);
  }

  /**
   * What is stored: its head and write options, whether its coding is negotiated (it varies on
   * the coding variant), and whether the edge encodes the origin's body into it, in the coding its
   * head says (its length then unknown until the end).
   */
  public record Coded(StoredHead head, WriteOptions options, boolean negotiated, boolean gzipsHere) {}

  /** The directives this cache obeys for a response: RFC 9213's precedence of targeted fields. */
  public static CacheControl directives(StoredHead response) {
    return EdgeControl.effective(response.values("surrogate-control"), response.values("cdn-cache-control"),
        response.values("cache-control"));
  }

  private static WriteOptions options(CacheControl cc, VaryRule vary, StoredHead head, StoredHead response,
      long lifetimeSeconds, Rules rules, List<String> tags, long requestTimeMillis, long responseTimeMillis) {
    boolean error = StorePolicy.isTransientError(response.status());
    boolean revalidate = StaleServing.forbidden(cc, response.status());
    long kept = StorePolicy.errorLifetime(response.status(), lifetimeSeconds, rules.errorMaxAge().toSeconds());
    Duration initialAge = Duration.ofMillis(CurrentAge.correctedInitialAgeMillis(response.values("age"),
        response.values("date"), requestTimeMillis, responseTimeMillis));
    Duration freshFor = Duration.ofSeconds(cc.noCache() ? 0 : kept);
    // Where stale is forbidden there is no stale window; a transient error has no keep-stale.
    WriteOptions.Builder b = WriteOptions.builder(freshFor)
        .initialAge(initialAge)
        .staleWhileRevalidate(revalidate ? Duration.ZERO
            : cc.staleWhileRevalidate().stream().mapToObj(Duration::ofSeconds).findFirst()
                .orElse(rules.staleWhileRevalidate()))
        .staleIfError(revalidate ? Duration.ZERO
            : cc.staleIfError().stream().mapToObj(Duration::ofSeconds).findFirst().orElse(rules.staleIfError()))
        .userMetadata(head.encode());
    boolean validators = head.first("etag") != null || head.first("last-modified") != null;
    if (!error && (validators || (!revalidate && freshFor.compareTo(initialAge) > 0))) {
      // Kept past freshness: a conditional request can then refresh it (§4.3.1), and one that
      // permits stale is served when the origin cannot be reached (§4.2.4). A response that was
      // never fresh is not kept for that alone: nothing could use it before then.
      b.keepStale(rules.keepStale());
    }
    List<String> varyNames = new ArrayList<>(vary.names());
    varyNames.addAll(rules.keyVary());
    if (!varyNames.isEmpty()) {
      b.varyRule(varyNames);
    }
    b.surrogateKeys(tags);
    String contentLength = response.first("content-length");
    if (contentLength != null) {
      try {
        b.length(Long.parseLong(contentLength.trim()));
      } catch (IllegalArgumentException e) {
        // a bad length is not declared: the body's own end counts
      }
    }
    return b.build();
  }

  /**
   * The purge tags of a response, from each of the deployment's tag fields: {@code Surrogate-Key}
   * and {@code xkey} separate tags by whitespace (xkey by commas too), Cloudflare's
   * {@code Cache-Tag} by commas. A tag the cache cannot index (too long, or with a character a
   * purge could not name) is left out. Null if the tags come to more than {@link #MAX_TAG_BYTES}.
   */
  static List<String> tags(StoredHead response, List<String> fields) {
    java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
    long bytes = 0;
    for (String field : fields) {
      String separators = field.equals("surrogate-key") ? "\\s+" : field.equals("cache-tag") ? "\\s*,\\s*" : "[\\s,]+";
      for (String line : response.values(field)) {
        for (String tag : line.trim().split(separators)) {
          if (tag.isEmpty()) {
            continue;
          }
          try {
            if (tags.add(WriteOptions.checkSurrogateKey(tag))) {
              bytes += tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            }
          } catch (IllegalArgumentException skipped) {
            // a tag the cache cannot index is left out, not the whole response
          }
          if (bytes > MAX_TAG_BYTES) {
            return null;
          }
        }
      }
    }
    return List.copyOf(tags);
  }

  /**
   * Whether a later request could use the object without a full fetch: it is fresh for a while,
   * has a validator to revalidate with, or may be served stale. If none, storing it would only
   * make waiters and later requests queue for nothing.
   */
  private static boolean usableLater(WriteOptions o) {
    return o.edgeMaxAge().orElse(o.maxAge()).compareTo(o.initialAge()) > 0 || !o.keepStale().isZero()
        || !o.staleWhileRevalidate().isZero() || !o.staleIfError().isZero();
  }
}
