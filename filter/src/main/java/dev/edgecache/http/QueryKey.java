package dev.edgecache.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query string as it goes into a cache key: as it is, or with its parameters sorted, or with
 * parameters left out ({@link KeyParams}); and the query the application is shown. Parameters are split on {@code &} only, as the Servlet API does, and
 * names are compared after percent-decoding, as the servlet will read them, so that
 * {@code utm_source} and {@code utm%5Fsource} are the same name to both (THREATS 3).
 *
 * <p>Leaving a parameter out of the key is safe only if the application never reflects it, or
 * never sees it: {@link KeyParams} says which are hidden from it too. Pure.
 */
public final class QueryKey {
  private QueryKey() {}

  /**
   * @param raw the raw query string, or null
   * @param sort whether to sort the parameters (by their raw text; a stable sort keeps the order
   *     of repeated names)
   * @param params which parameters the key is made of
   * @return the query for the key, or null when there was none or every parameter was left out
   */
  public static String normalise(String raw, boolean sort, KeyParams params) {
    if (raw == null || (!sort && params.keysAll())) {
      return raw;
    }
    List<String> kept = new ArrayList<>();
    for (String param : raw.split("&", -1)) {
      if (!params.keysAll() && !params.keyed(name(param))) {
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

  /**
   * The query the application is shown: {@code raw} without the parameters {@code params} hides,
   * in their order; null when there was none or every parameter was hidden.
   */
  public static String visible(String raw, KeyParams params) {
    if (raw == null || params.showsAll()) {
      return raw;
    }
    List<String> shown = new ArrayList<>();
    for (String param : raw.split("&", -1)) {
      if (!params.hidden(name(param))) {
        shown.add(param);
      }
    }
    return shown.isEmpty() ? null : String.join("&", shown);
  }

  /** The decoded name of a {@code name[=value]} parameter, as the servlet reads it. */
  public static String name(String param) {
    int eq = param.indexOf('=');
    String raw = eq < 0 ? param : param.substring(0, eq);
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw; // a malformed escape: compared as it is
    }
  }
}
