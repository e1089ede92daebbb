package dev.edgecache.http;

import java.util.List;
import java.util.Set;

/**
 * Which query parameters make a cache key, and which the application behind the cache is shown.
 * Pure.
 *
 * <ul>
 *   <li>{@code keep}: when not empty, the only parameters in the key (an allow-list, as CDNs'
 *       "query string: include only"); the others are also hidden from the application, so that
 *       a stored response cannot depend on what its key does not hold (an unkeyed parameter that
 *       a page reflects poisons the cache: THREATS 3).
 *   <li>{@code ignoreTracking}: the tracking parameters of {@link #TRACKING} (campaign and click
 *       identifiers that browsers' scripts read from the address bar, never the server) are left
 *       out of the key and hidden from the application alike.
 *   <li>{@code ignore}: parameters left out of the key, which the application still sees; only
 *       for parameters it never reflects.
 * </ul>
 *
 * @param keep the parameters the key is made of, or empty for all
 * @param ignore parameters left out of the key but shown to the application
 * @param ignoreTracking whether the {@link #TRACKING} parameters are left out and hidden
 */
public record KeyParams(Set<String> keep, Set<String> ignore, boolean ignoreTracking) {
  /** Every parameter in the key, and shown to the application. */
  public static final KeyParams ALL = new KeyParams(Set.of(), Set.of(), false);

  /**
   * The tracking parameters ({@code ignoreTracking}): Google's, Facebook's and DoubleClick's click
   * identifiers, Google Ads' source, a referrer tag, and every {@code utm_} campaign parameter.
   */
  public static final List<String> TRACKING = List.of("utm_*", "gclid", "fbclid", "dclid", "gad_source", "ref");

  public KeyParams {
    keep = Set.copyOf(keep);
    ignore = Set.copyOf(ignore);
  }

  /** Whether the parameter named {@code name} (decoded) is part of the key. */
  public boolean keyed(String name) {
    return !hidden(name) && !ignore.contains(name);
  }

  /** Whether the parameter named {@code name} (decoded) is kept from the application. */
  public boolean hidden(String name) {
    return (!keep.isEmpty() && !keep.contains(name)) || (ignoreTracking && tracking(name));
  }

  /** Whether every parameter is in the key. */
  public boolean keysAll() {
    return keep.isEmpty() && ignore.isEmpty() && !ignoreTracking;
  }

  /** Whether every parameter is shown to the application. */
  public boolean showsAll() {
    return keep.isEmpty() && !ignoreTracking;
  }

  /** Whether {@code name} is one of {@link #TRACKING}. */
  public static boolean tracking(String name) {
    return name.startsWith("utm_") || (TRACKING.contains(name) && !name.endsWith("*"));
  }
}
