package dev.edgecache.http;

/**
 * How the request that owns a key asks the origin: pure, made once from what the lookup found and
 * what the client sent, before the origin is asked (as HttpClient's conditional request builder).
 *
 * @param background a refresh after a stale-while-revalidate response (RFC 5861 §3): nothing
 *     reaches the client, and a failure keeps the stale object
 * @param staleIfError a stored object is usable if the origin fails (RFC 5861 §4)
 * @param staleIfUnreachable a stored object that does not forbid serving stale may be served if
 *     the origin cannot be reached (RFC 9111 §4.2.4)
 * @param etag the stored object's validator sent as {@code If-None-Match}; null if none
 * @param lastModified the stored object's date sent as {@code If-Modified-Since}; null if none
 * @param cold the client asked conditionally or for a range: the whole object is fetched and
 *     stored, and the client's answer is cut from it on the way
 * @param head a HEAD, filled as a GET whose client gets the fields only
 * @param mayDetach the client may be served from the object being written, so that a slow client
 *     slows nobody else's fill: a plain GET of a client that can be written without a thread
 * @param forwardsRange the client's one range goes to the origin as it asked it, with its
 *     {@code If-Range}: a GET for a range of something not stored at all. The origin's 206 is
 *     kept as partial content ({@link PartialContent}); a 200 is stored whole, the range cut
 *     from it on the way as for any cold answer. (Fetching the whole object for a range of a
 *     large media file would make the client wait for bytes it never asked for.)
 */
public record FetchPlan(boolean background, boolean staleIfError, boolean staleIfUnreachable, String etag,
    String lastModified, boolean cold, boolean head, boolean mayDetach, boolean forwardsRange) {

  /**
   * The plan for a fill.
   *
   * @param background whether the client already has its (stale) response
   * @param usableIfError whether the lookup found an object usable if the origin fails
   * @param stale the stored object's head, if one was found; null if none
   * @param method the request's method
   * @param conditionalOrRange whether the client sent {@code Range}, {@code If-None-Match} or
   *     {@code If-Modified-Since}
   * @param range the client's {@code Range}, or null
   * @param asyncSupported whether the request can go async
   */
  public static FetchPlan of(boolean background, boolean usableIfError, StoredHead stale, String method,
      boolean conditionalOrRange, String range, boolean asyncSupported) {
    boolean staleIfError = !background && usableIfError;
    boolean staleIfUnreachable = !background && stale != null
        && !StaleServing.forbidden(StoragePlan.directives(stale), stale.status());
    String etag = stale == null ? null : stale.first("etag");
    String lastModified = stale == null ? null : stale.first("last-modified");
    boolean conditional = etag != null || lastModified != null;
    boolean head = "HEAD".equals(method);
    boolean mayDetach = !background && !conditionalOrRange && !conditional && !head && asyncSupported;
    boolean forwardsRange = !background && stale == null && "GET".equals(method) && ByteRanges.single(range);
    return new FetchPlan(background, staleIfError, staleIfUnreachable, etag, lastModified, conditionalOrRange, head,
        mayDetach, forwardsRange);
  }

  /** Whether the origin is asked conditionally, with the stored object's validators (RFC 9111 §4.3.1). */
  public boolean conditional() {
    return etag != null || lastModified != null;
  }

  /** Whether the request the origin sees differs from the client's (validators, conditionals, credentials). */
  public boolean rewritesRequest() {
    return conditional() || background || cold;
  }

  /** Whether the client's 304 or 206 is cut from the whole response on its way (a cold answer). */
  public boolean answersFromWhole() {
    return cold && !conditional();
  }
}
