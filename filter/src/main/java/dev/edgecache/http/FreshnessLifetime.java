package dev.edgecache.http;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How long a response is fresh in a shared cache (RFC 9111 §4.2.1): {@code s-maxage}, else
 * {@code max-age}, else {@code Expires} minus {@code Date}; else, only when configured, a
 * heuristic (§4.2.2). Pure.
 */
public final class FreshnessLifetime {
  /** Status codes that are heuristically cacheable (RFC 9110 §15.1). */
  public static final Set<Integer> HEURISTICALLY_CACHEABLE =
      Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

  /**
   * Heuristic freshness: a fraction of the time since {@code Last-Modified}, at most a cap.
   *
   * @param fraction for example 0.1, as RFC 9111 §4.2.2 suggests
   * @param maxSeconds the cap
   */
  public record Heuristic(double fraction, long maxSeconds) {
    public Heuristic {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("heuristic fraction must be in (0, 1]: " + fraction);
      }
      if (maxSeconds < 0) {
        throw new IllegalArgumentException("heuristic cap must not be negative: " + maxSeconds);
      }
    }
  }

  private FreshnessLifetime() {}

  /**
   * The response's freshness lifetime in seconds, or empty if it has no explicit freshness and
   * heuristics are off ({@code heuristic} null) or do not apply.
   *
   * @param cc the response's (or the edge's) directives
   * @param expires the {@code Expires} field lines
   * @param date the {@code Date} field lines
   * @param lastModified the {@code Last-Modified} field lines
   * @param status the response status
   * @param responseTimeMillis when the response was received
   * @param heuristic null unless heuristic freshness is configured
   */
  public static OptionalLong seconds(CacheControl cc, List<String> expires, List<String> date,
      List<String> lastModified, int status, long responseTimeMillis, Heuristic heuristic) {
    Objects.requireNonNull(cc, "cc");
    if (cc.sMaxAge().isPresent()) {
      return cc.sMaxAge();
    }
    if (cc.maxAge().isPresent()) {
      return cc.maxAge();
    }
    long dateMillis = HttpDates.parseSingle(date, responseTimeMillis).orElse(responseTimeMillis);
    if (!expires.isEmpty()) {
      // Several Expires lines, or one that is not a date (such as "0"), mean already expired.
      OptionalLong e = HttpDates.parseSingle(expires, responseTimeMillis);
      if (e.isEmpty()) {
        return OptionalLong.of(0);
      }
      return OptionalLong.of(Math.min(CacheControl.DELTA_SECONDS_MAX,
          Math.max(0, (e.getAsLong() - dateMillis) / 1000)));
    }
    if (heuristic != null && HEURISTICALLY_CACHEABLE.contains(status)) {
      OptionalLong lm = HttpDates.parseSingle(lastModified, responseTimeMillis);
      if (lm.isPresent() && lm.getAsLong() < dateMillis) {
        long since = (dateMillis - lm.getAsLong()) / 1000;
        return OptionalLong.of(Math.min(heuristic.maxSeconds(), (long) (since * heuristic.fraction())));
      }
    }
    return OptionalLong.empty();
  }
}
