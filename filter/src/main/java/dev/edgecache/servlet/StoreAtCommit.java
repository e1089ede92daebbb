package dev.edgecache.servlet;

import static dev.edgecache.servlet.CachedResponses.list;

import dev.edgecache.BodySink;
import dev.edgecache.CacheEntry;
import dev.edgecache.Insertion;
import dev.edgecache.WriteOptions;
import dev.edgecache.http.AcceptEncoding;
import dev.edgecache.http.CacheControl;
import dev.edgecache.http.CacheStatus;
import dev.edgecache.http.ContentCoding;
import dev.edgecache.http.CurrentAge;
import dev.edgecache.http.FetchPlan;
import dev.edgecache.http.HttpDates;
import dev.edgecache.http.NotModified;
import dev.edgecache.http.PurgeScopes;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoragePlan;
import dev.edgecache.http.StorePolicy;
import dev.edgecache.http.StoredHead;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The decision made when the origin's response is first written, flushed or ended: store it
 * (opening the cache write, and choosing its coding), pass it, or hold back a 5xx for a stale
 * object; and for a revalidation, freshen the stored object with the 304 (RFC 9111 §4.3.4). The
 * HTTP rules are {@link StoragePlan}'s; this acts on them.
 */
final class StoreAtCommit implements TeeDecider {
  private static final Logger LOG = Logger.getLogger(StoreAtCommit.class.getName());

  private final FilterRuntime rt;
  private final HttpServletRequest req;
  private final RequestKey key;
  private final CacheControl requestCc;
  private final CacheEntry entry;
  private final FetchPlan plan;
  /** The request the origin answered (a background refresh sends no credentials). */
  private final HttpServletRequest asked;
  private final long requestTime;
  private final BooleanSupplier staleUsable;
  /** The stored head that the origin is asked to confirm; null unless conditional. */
  private final StoredHead revalidating;
  private final OwnClientFollower follower;
  /** Set when a 304 made the stored object unstorable: it is served once, then purged. */
  private boolean dropAfterServing;
  /**
   * The {@code Cache-Status} that says stored, for a body of unknown length that the store may
   * yet refuse: put on the response at its end if the object was committed and the head has not
   * left (RFC 9211 §2.5: {@code stored} is a statement of fact); null if said already.
   */
  private String statusIfStored;
  /** The freshness of an object a 304 forbade keeping: none, and no stale use, from before now. */
  private static final WriteOptions EXPIRED = WriteOptions.builder(Duration.ZERO).initialAge(Duration.ofSeconds(1)).build();
  /** Whether the response is stored as partial content, under the URL's partial key. */
  private boolean storedPartial;
  /** The {@code Cache-Status} of this response if it turns out not stored; null before a store decision. */
  private String statusIfNot;
  /** The stored head as a 304 refreshed it; null unless the origin confirmed the object. */
  private StoredHead notModified;
  /** How the 304 freshened the object; null unless it did. */
  private WriteOptions freshened;
  /** The age of the response a 304 freshened; null unless the origin confirmed the object. */
  private Duration notModifiedAge;

  StoreAtCommit(FilterRuntime rt, HttpServletRequest req, RequestKey key, CacheControl requestCc, CacheEntry entry,
      FetchPlan plan, HttpServletRequest asked, long requestTime, BooleanSupplier staleUsable, StoredHead revalidating,
      OwnClientFollower follower) {
    this.rt = rt;
    this.req = req;
    this.key = key;
    this.requestCc = requestCc;
    this.entry = entry;
    this.plan = plan;
    this.asked = asked;
    this.requestTime = requestTime;
    this.staleUsable = staleUsable;
    this.revalidating = revalidating;
    this.follower = follower;
  }

  /** The refreshed head when the origin answered 304 to a revalidation; else null. */
  StoredHead notModified() {
    return notModified;
  }

  /** Whether the object must go once its client has the merged response of a 304. */
  boolean dropAfterServing() {
    return dropAfterServing;
  }

  @Override
  public TeeDecider.Mode decide(TeeResponse r) {
    int statusCode = r.getStatus();
    if (statusCode >= 500 && (plan.background() || staleUsable.getAsBoolean())) {
      return TeeDecider.Mode.DISCARD;
    }
    long responseTime = rt.cache.clock().millis();
    StoredHead response = responseHead(r, statusCode, responseTime);
    if (revalidating != null && statusCode == HttpServletResponse.SC_NOT_MODIFIED) {
      return freshen(r, response, responseTime);
    }
    StoragePlan storage = r.tainted() ? StoragePlan.pass(StorePolicy.Decision.STATUS)
        : StoragePlan.of(requestFacts(true), response, rt.rules, requestTime, responseTime);
    CacheStatus s = rt.status(CacheStatus.Forward.URI_MISS, key).withForwardStatus(statusCode);
    if (storage.stores() && revalidating == null && !plan.background() && !rt.admission.admits(key.cacheKey())) {
      // asked for too few times yet (min-uses): passed, its waiters sent on at once, nothing remembered
      entry.cancelUnshared();
      rt.stats.notStored.add("admission");
      r.setHeader("Cache-Status", s.withDetail("admission").toString());
      return TeeDecider.Mode.PASS;
    }
    if (storage.stores()) {
      // (a 206 is stored only as the answer to the client's range, forwarded: StorePolicy)
      TeeDecider.Mode stored = statusCode == HttpServletResponse.SC_PARTIAL_CONTENT
          ? storePartial(r, storage, s) : store(r, storage, s);
      if (stored != null) {
        return stored;
      }
    }
    StorePolicy.Decision decision = storage.decision();
    if (decision == StorePolicy.Decision.COOKIE || decision == StorePolicy.Decision.AUTHORIZATION) {
      // Made for this request's credentials: the waiters go on their own, and nothing is
      // remembered, since a request without them may get a response that can be shared.
      entry.cancelUnshared();
    } else {
      entry.cancelNotCacheable();
    }
    String reason = decision.name().toLowerCase(Locale.ROOT);
    rt.stats.notStored.add(reason);
    r.setHeader("Cache-Status", s.withDetail(reason).toString());
    return TeeDecider.Mode.PASS;
  }

  /** Every field of the response as it stands, edge-only ones included, with a {@code Date}. */
  private static StoredHead responseHead(TeeResponse r, int statusCode, long responseTime) {
    List<StoredHead.Field> fields = new ArrayList<>();
    for (String name : r.getHeaderNames()) {
      for (String value : r.getHeaders(name)) {
        fields.add(new StoredHead.Field(name.toLowerCase(Locale.ROOT), value));
      }
    }
    if (fields.stream().noneMatch(f -> f.name().equals("date"))) {
      // Tomcat adds its Date only as the response commits, after this decision. RFC 9110
      // §6.6.1: a recipient that caches or forwards a response without Date appends one, the
      // time it received it; the client gets the same one, and every hit the stored one.
      String date = HttpDates.format(responseTime);
      fields.add(new StoredHead.Field("date", date));
      r.setHeader("Date", date);
    }
    fields.addAll(r.edgeFields());
    return new StoredHead(statusCode, fields);
  }

  /**
   * Opens the cache write for a response the plan stores; null if the store refuses it or the
   * entry cannot take it (then it passes, as not storable).
   */
  private TeeDecider.Mode store(TeeResponse r, StoragePlan storage, CacheStatus s) {
    AcceptEncoding acceptEncoding = AcceptEncoding.parse(list(req.getHeaders("Accept-Encoding")));
    List<String> variant = ContentCoding.variantOf(acceptEncoding, EdgeCodings.beyondGzip());
    StoragePlan.Coded coded = storage.coded(scopes(), rt.settings.gzip(), variant.isEmpty() ? null : variant.get(0));
    WriteOptions options = QueryContent.tagged(coded.options(), key);
    rt.storing(req, key, coded.head(), options.varyRule()); // before the insert: what it teaches keys it
    boolean lengthDeclared = r.getHeader("Content-Length") != null;
    if (coded.negotiated() && !ContentCoding.variesOnCoding(r.getHeaders("Vary"))) {
      r.addHeader("Vary", "Accept-Encoding"); // this client's answer too: caches after this one
    }
    try {
      // Detached only with a declared length: the store cannot refuse such a body midway
      // (it would have refused it whole), and its client always knows where it ends.
      boolean detach = !coded.gzipsHere() && plan.mayDetach() && lengthDeclared && !r.servletWritesNonBlocking();
      Insertion insertion = detach ? entry.insertAndStreamBack(options) : null;
      BodySink sink = insertion != null ? insertion.body() : entry.insert(options);
      if (!sink.stores()) {
        // the store refused it (larger than it keeps): it passes, and says so
        sink.abort();
        if (insertion != null) {
          insertion.entry().close();
        }
        return refused(r, s);
      }
      if (coded.gzipsHere()) {
        if (!rt.encoders.tryTake()) {
          // max-encoders fills are being encoded: this one passes whole, and a later request of
          // its variant stores it
          sink.abort();
          return encodersBusy(r, s);
        }
        try {
          sink = EdgeCodings.encoding(ContentCoding.coding(coded.head()), sink, rt.encoders::giveBack);
        } catch (IOException e) {
          sink.abort(); // the store refused the coding's header: the response passes, whole, to its client
          return refused(r, s);
        }
      }
      // A write the store could not take (its tier is away) is shared with this key's waiters
      // only, from this JVM's memory: teed as any other, and never said to be stored.
      boolean kept = sink.keeps();
      if (!kept) {
        rt.stats.notStored.add("store-unavailable");
      }
      CacheStatus stored = kept ? s.withStored(true).withTtl(ttlSeconds(options)) : s.withDetail("store-unavailable");
      statusIfNot = s.withTtl(ttlSeconds(options)).toString();
      if (insertion != null && follower.follow(insertion.entry(), stored, r, sink)) {
        return TeeDecider.Mode.STORE;
      }
      r.tee(sink);
      if (coded.negotiated() && ContentCoding.decodesFor(coded.head(), acceptEncoding)) {
        // served from the object by the same rule as every later client of its variant: decoded
        r.decodeForClient(ContentCoding.decodedHead(coded.head()));
      }
      if (coded.gzipsHere() || !lengthDeclared || plan.head()) {
        // A body of unknown length may yet be refused by the store: stored is said once it is.
        // So is a HEAD's: its head leaves as the fill ends, and with no body of its own to break
        // off, it could not take the word back if the origin then failed.
        r.setHeader("Cache-Status", statusIfNot);
        statusIfStored = stored.toString();
      } else {
        r.setHeader("Cache-Status", stored.toString());
      }
      return TeeDecider.Mode.STORE;
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.log(Level.FINE, "response not stored", e);
      return null;
    }
  }

  /** Opens the write of partial content ({@link PartialResponses}); null if it is not stored. */
  private TeeDecider.Mode storePartial(TeeResponse r, StoragePlan storage, CacheStatus s) {
    BodySink sink = PartialResponses.open(rt, key, entry, storage, scopes(), r.getHeader("Content-Length"));
    if (sink == null) {
      return refused(r, s);
    }
    storedPartial = true;
    r.tee(sink);
    long ttl = ttlSeconds(storage.options());
    CacheStatus stored = sink.keeps() ? s.withStored(true).withTtl(ttl) : s.withDetail("store-unavailable");
    if (r.getHeader("Content-Length") == null) {
      r.setHeader("Cache-Status", s.withTtl(ttl).toString());
      statusIfStored = stored.toString();
    } else {
      r.setHeader("Cache-Status", stored.toString());
    }
    return TeeDecider.Mode.STORE;
  }

  private TeeDecider.Mode encodersBusy(TeeResponse r, CacheStatus s) {
    rt.stats.notStored.add("encoders-busy");
    r.setHeader("Cache-Status", s.withDetail("encoders busy").toString());
    return TeeDecider.Mode.PASS;
  }

  private TeeDecider.Mode refused(TeeResponse r, CacheStatus s) {
    rt.stats.notStored.add("store-refused");
    r.setHeader("Cache-Status", s.withDetail("store-refused").toString());
    return TeeDecider.Mode.PASS;
  }

  @Override
  public void ended(TeeResponse r, boolean stored) {
    HttpServletResponse client = r.client();
    if (r.headRefused()) {
      LOG.fine(() -> "the container refused the head of " + key.text() + ": not stored");
      TeeDecider.super.ended(r, stored);
      if (client.getStatus() == HttpServletResponse.SC_BAD_GATEWAY && !client.isCommitted()) {
        client.setHeader("Cache-Status", rt.status(CacheStatus.Forward.URI_MISS, key).withDetail("head too large")
            .toString());
      }
    } else if (stored && statusIfStored != null && r.state().writesClient() && !client.isCommitted()) {
      client.setHeader("Cache-Status", statusIfStored);
    }
  }

  @Override
  public void failed(TeeResponse r) {
    statusIfStored = null;
    HttpServletResponse client = r.client();
    if (statusIfNot != null && !r.clientDetached() && !client.isCommitted()) {
      client.setHeader("Cache-Status", statusIfNot);
    }
  }

  @Override
  public void unstore(TeeResponse r) {
    rt.cache.purge(storedPartial ? key.partialKey() : key.cacheKey());
  }

  @Override
  public boolean stillStorable(TeeResponse r) {
    // A cookie set after the decision (getSession() after the first write, THREATS 8) makes the
    // response personal: it is not stored.
    return rt.settings.storeSetCookie() || r.getHeaders("Set-Cookie").isEmpty();
  }

  /**
   * The object's purge scopes: its host and its path prefixes. Interned, since the objects of one
   * directory share them and an in-memory store keeps each object's set.
   */
  private List<String> scopes() {
    List<String> scopes = PurgeScopes.of(key);
    scopes.replaceAll(String::intern);
    return scopes;
  }

  /**
   * What counts of the request for storing: the request the origin answered (a background
   * refresh sends no credentials, and its answer is judged as one to a request without them);
   * with {@code credentials} false they are not judged at all.
   */
  private StorePolicy.Request requestFacts(boolean credentials) {
    return new StorePolicy.Request(req.getMethod(), requestCc,
        credentials && asked.getHeader("Authorization") != null, credentials && rt.keys.personalCookies(asked),
        plan.forwardsRange());
  }

  /**
   * The origin confirmed the stored object: its fields are replaced by those of the 304
   * (RFC 9111 §3.2), its freshness starts again, and its body stays.
   */
  private TeeDecider.Mode freshen(TeeResponse r, StoredHead answer, long responseTime) {
    StoredHead merged = ContentCoding.afterRevalidation(NotModified.merge(revalidating, answer));
    notModifiedAge = Duration.ofMillis(CurrentAge.correctedInitialAgeMillis(answer.values("age"),
        answer.values("date"), requestTime, responseTime));
    // The request's credentials are not judged again: the 304 says the stored body, which a
    // request without them fetched, is still the one; only the merged directives can forbid it.
    // the cache's own notes of the body (its coding) are no header fields: a 304 keeps them
    StoragePlan storage = StoragePlan.of(requestFacts(false), merged, rt.rules, requestTime, responseTime)
        .keepingNotesOf(revalidating);
    if (!storage.stores()) {
      // RFC 9111 §4.3.4: the merged response is what is stored; if it may no longer be stored
      // (the 304 said private or no-store), this client gets it once and it is removed. It is
      // made unusable now, expired at once, before this client can have it and ask again; its
      // body stays readable for this answer, and the purge after serving frees it.
      try {
        entry.update(EXPIRED);
      } catch (IllegalArgumentException | IllegalStateException replaced) {
        entry.cancel(); // another client's answer is under the key now: not this 304's to expire
      }
      notModified = merged;
      dropAfterServing = true;
      return TeeDecider.Mode.DISCARD;
    }
    WriteOptions options = storage.options().toBuilder().purgeScopes(scopes()).build();
    if (storage.head().first(ContentCoding.NEGOTIATED) != null) {
      options = options.toBuilder().varyRule(ContentCoding.negotiatedRule(options.varyRule())).build();
    }
    notModified = storage.head();
    rt.storing(req, key, storage.head(), options.varyRule());
    try {
      entry.update(options);
      freshened = options;
    } catch (IllegalArgumentException | IllegalStateException e) {
      // (another client's answer replaced the object meanwhile: this client still gets the one
      // the 304 confirmed, but no ttl is claimed for an object that is not kept)
      LOG.log(Level.FINE, "a 304 could not freshen the object", e);
    }
    return TeeDecider.Mode.DISCARD;
  }

  /**
   * The age of the response a 304 freshened, as its client is answered: the 304's own (RFC 9111
   * §4.2.3, §4.3.4: the validation made a new response), not the looked-up object's.
   */
  Duration notModifiedAge() {
    return notModifiedAge;
  }

  /** The {@code ttl} of the object a 304 freshened (RFC 9211 §2.4); empty if it is not kept. */
  OptionalLong notModifiedTtl() {
    return freshened == null ? OptionalLong.empty() : OptionalLong.of(ttlSeconds(freshened));
  }

  /** The freshness left of an object just written with {@code options}, in whole seconds. */
  private static long ttlSeconds(WriteOptions options) {
    return FilterRuntime.ttlSeconds(options.edgeMaxAge().orElse(options.maxAge()), options.initialAge());
  }
}
