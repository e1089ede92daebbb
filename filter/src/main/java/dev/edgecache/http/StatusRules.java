package dev.edgecache.http;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deployment's rules by status: how long a response of a status is kept when it says nothing
 * of its freshness (negative caching of a 404 for a few seconds, as CDNs do), and which statuses
 * are never stored, on top of those this cache never stores anyway (1xx, 206, 304, 400, 431).
 *
 * <p>A lifetime applies only to a status cacheable by default (RFC 9110 §15.1: 200, 203, 204,
 * 300, 301, 308, 404, 405, 410, 414, 501), and only where the response has no explicit freshness
 * ({@code s-maxage}, {@code max-age}, {@code Expires}) and heuristics give none: what the origin
 * says always wins, and a response that may not be stored (private, no-store, credentials, a
 * cookie) is not stored for a lifetime either. Pure.
 *
 * @param lifetimes seconds a response of each status is kept when it says nothing of freshness
 * @param neverStored statuses never stored, whatever the response says
 */
public record StatusRules(Map<Integer, Long> lifetimes, Set<Integer> neverStored) {
  /** No lifetimes and no statuses beyond this cache's own: what the origin says, alone. */
  public static final StatusRules NONE = new StatusRules(Map.of(), Set.of());

  /** The filter's default: a 404 or 410 without freshness kept 10 s, nothing more refused. */
  public static final StatusRules DEFAULT = new StatusRules(Map.of(404, 10L, 410, 10L), Set.of());

  public StatusRules {
    lifetimes = Map.copyOf(Objects.requireNonNull(lifetimes, "lifetimes"));
    neverStored = Set.copyOf(Objects.requireNonNull(neverStored, "neverStored"));
    for (Map.Entry<Integer, Long> e : lifetimes.entrySet()) {
      int status = e.getKey();
      if (!StorePolicy.CACHEABLE_BY_DEFAULT.contains(status)) {
        throw new IllegalArgumentException("status-ttl names " + status + ", which is not cacheable by default"
            + " (RFC 9110 §15.1: " + new TreeSet<>(StorePolicy.CACHEABLE_BY_DEFAULT) + "); give it Cache-Control instead");
      }
      if (e.getValue() < 0 || e.getValue() > CacheControl.DELTA_SECONDS_MAX) {
        throw new IllegalArgumentException("status-ttl for " + status + " must be 0 to "
            + CacheControl.DELTA_SECONDS_MAX + " seconds: " + e.getValue());
      }
      if (neverStored.contains(status)) {
        throw new IllegalArgumentException("status-ttl gives " + status + " a lifetime, and never-store-statuses"
            + " refuses it: name it in one of them");
      }
    }
    for (int status : neverStored) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("never-store-statuses has " + status + ", which is no status");
      }
    }
  }

  /** The configured lifetime of {@code status}, for a response that says nothing of freshness. */
  public OptionalLong lifetime(int status) {
    Long s = lifetimes.get(status);
    return s == null ? OptionalLong.empty() : OptionalLong.of(s);
  }

  /** Whether the deployment never stores {@code status}. */
  public boolean refuses(int status) {
    return neverStored.contains(status);
  }

  /**
   * The lifetimes of {@code text}: {@code STATUS=SECONDS} pairs separated by commas
   * ({@code 404=10,410=60}), {@code none} for none.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Map<Integer, Long> parseLifetimes(String text) {
    Map<Integer, Long> out = new TreeMap<>();
    if (text.trim().equalsIgnoreCase("none")) {
      return out;
    }
    for (String item : text.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("status-ttl takes STATUS=SECONDS pairs: '" + item.trim() + "'");
      }
      int status = status(item.substring(0, eq), "status-ttl");
      long seconds;
      try {
        seconds = Long.parseLong(item.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("status-ttl for " + status + " is not a whole number of seconds: '"
            + item.substring(eq + 1).trim() + "'");
      }
      if (out.put(status, seconds) != null) {
        throw new IllegalArgumentException("status-ttl names " + status + " twice");
      }
    }
    return out;
  }

  /** The statuses of {@code text}, separated by commas; {@code none} for none. */
  public static Set<Integer> parseStatuses(String text) {
    Set<Integer> out = new TreeSet<>();
    if (text.trim().equalsIgnoreCase("none")) {
      return out;
    }
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        out.add(status(item, "never-store-statuses"));
      }
    }
    return out;
  }

  private static int status(String text, String param) {
    String t = text.trim();
    if (!t.matches("[1-5][0-9][0-9]")) {
      throw new IllegalArgumentException(param + " has '" + t + "', which is no status");
    }
    return Integer.parseInt(t);
  }
}
