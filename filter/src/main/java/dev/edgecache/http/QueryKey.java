package dev.edgecache.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The query string as it goes into a cache key: as it is, or with its parameters sorted, or with
 * named parameters left out. Parameters are split on {@code &} only, as the Servlet API does, and
 * names are compared after percent-decoding, as the servlet will read them, so that
 * {@code utm_source} and {@code utm%5Fsource} are the same name to both (THREATS 3).
 *
 * <p>Leaving a parameter out of the key is safe only if the application never reflects it: the
 * servlet still receives it. Pure.
 */
public final class QueryKey {
  private QueryKey() {}

  /**
   * @param raw the raw query string, or null
   * @param sort whether to sort the parameters (by their raw text; a stable sort keeps the order
   *     of repeated names)
   * @param ignored decoded parameter names to leave out
   * @return the query for the key, or null when there was none or every parameter was ignored
   */
  public static String normalise(String raw, boolean sort, Set<String> ignored) {
    if (raw == null || (!sort && ignored.isEmpty())) {
      return raw;
    }
    List<String> kept = new ArrayList<>();
    for (String param : raw.split("&", -1)) {
      if (!ignored.isEmpty() && ignored.contains(name(param))) {
        continue;
      }
      kept.add(param);
    }
    if (kept.isEmpty()) {
      return null; // only ignored parameters: the same key as no query at all
    }
    if (sort) {
      kept.sort(null);
    }
    return String.join("&", kept);
  }

  private static String name(String param) {
    int eq = param.indexOf('=');
    String raw = eq < 0 ? param : param.substring(0, eq);
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw; // a malformed escape: compared as it is
    }
  }
}
