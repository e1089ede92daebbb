package dev.edgecache.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The text form of {@link FilterSettings}: {@code web.xml} init-params (or context parameters
 * prefixed {@code edgecache.}, see {@code EdgeCacheFilter.settingsOf}). Every init-param and its
 * default:
 *
 * <table>
 *   <caption>init-params</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code cache-name}</td><td>{@code edgecache}</td><td>the name in {@code Cache-Status}</td></tr>
 *   <tr><td>{@code stale-while-revalidate}</td><td>0</td><td>seconds, for responses without the directive</td></tr>
 *   <tr><td>{@code stale-if-error}</td><td>0</td><td>seconds, for responses without the directive</td></tr>
 *   <tr><td>{@code gzip}</td><td>true</td><td>gzip compressible responses as they are stored, and decode gzip for clients that do not take it</td></tr>
 *   <tr><td>{@code store-set-cookie}</td><td>false</td><td>store responses with {@code Set-Cookie} (never replaying the cookie)</td></tr>
 *   <tr><td>{@code max-ranges}</td><td>16</td><td>more ranges in one request get the whole response</td></tr>
 *   <tr><td>{@code debug-key}</td><td>false</td><td>add {@code key=} to {@code Cache-Status}</td></tr>
 *   <tr><td>{@code admin-path}</td><td>{@code /_edge/}</td><td>where purges and statistics are served</td></tr>
 *   <tr><td>{@code admin-token}</td><td>none</td><td>the bearer token of the admin path; without one the admin path is off</td></tr>
 *   <tr><td>{@code admin-token-file}</td><td>none</td><td>a file whose first line is the admin token, in place of {@code admin-token}; failing both, the file named by the system property {@code edgecache.admin-token-file}, or the environment variable {@code EDGECACHE_ADMIN_TOKEN} ({@link AdminTokens})</td></tr>
 *   <tr><td>{@code capacity-bytes}</td><td>a quarter of the heap, 16 to 256 MiB</td><td>the in-memory store's size, when the filter makes its own cache</td></tr>
 *   <tr><td>{@code max-object-bytes}</td><td>16777216, or the capacity if less</td><td>the largest response stored, likewise</td></tr>
 *   <tr><td>{@code lock-timeout-ms}</td><td>5000</td><td>how long a fill may go without starting before waiters take over</td></tr>
 *   <tr><td>{@code key-sort-query}</td><td>false</td><td>sort query parameters in the key</td></tr>
 *   <tr><td>{@code key-ignore-params}</td><td>none</td><td>comma-separated query parameters left out of the key</td></tr>
 *   <tr><td>{@code key-keep-params}</td><td>none (all)</td><td>comma-separated query parameters, the only ones in the key; the others are hidden from the servlet</td></tr>
 *   <tr><td>{@code key-ignore-tracking}</td><td>false</td><td>leave the tracking parameters ({@code utm_*}, {@code gclid}, {@code fbclid}, {@code dclid}, {@code gad_source}, {@code ref}) out of the key, and hide them from the servlet</td></tr>
 *   <tr><td>{@code key-headers}</td><td>none</td><td>comma-separated request headers that are part of the key</td></tr>
 *   <tr><td>{@code key-cookies}</td><td>none</td><td>comma-separated cookies that are part of the key</td></tr>
 *   <tr><td>{@code max-variants}</td><td>32</td><td>variants per URL in the filter's own cache</td></tr>
 *   <tr><td>{@code heuristic-fraction}</td><td>0 (off)</td><td>heuristic freshness, a fraction of the age of {@code Last-Modified}</td></tr>
 *   <tr><td>{@code heuristic-max}</td><td>86400</td><td>seconds, the most heuristic freshness</td></tr>
 *   <tr><td>{@code keep-stale}</td><td>86400</td><td>seconds a stale response is kept: one with an {@code ETag} or {@code Last-Modified}, to be revalidated rather than fetched whole; one that permits stale, to be served when the origin cannot be reached ({@link EdgeCacheFilter#ORIGIN_UNREACHABLE})</td></tr>
 *   <tr><td>{@code ignore-cookies}</td><td>none</td><td>comma-separated cookies (a trailing {@code *} matches a prefix) that do not make a request personal, such as analytics cookies</td></tr>
 *   <tr><td>{@code error-max-age}</td><td>10</td><td>seconds, the longest an error status other than 404, 410, 414 and 501 is kept; 0 keeps none</td></tr>
 *   <tr><td>{@code hit-for-miss}</td><td>120</td><td>seconds a key whose response could not be stored lets requests go to the origin without queueing</td></tr>
 *   <tr><td>{@code status-ttl}</td><td>404=10,410=10</td><td>seconds a response of a status cacheable by default is kept when it says nothing of its freshness, as {@code STATUS=SECONDS} pairs; {@code none} for none</td></tr>
 *   <tr><td>{@code never-store-statuses}</td><td>none</td><td>statuses never stored, whatever the response says, besides 1xx, 206, 304, 400 and 431</td></tr>
 *   <tr><td>{@code tag-fields}</td><td>{@code Surrogate-Key}</td><td>comma-separated response fields that tag objects for purges: {@code Surrogate-Key}, {@code Cache-Tag} (Cloudflare's, comma-separated values), {@code xkey} (Varnish's); never sent on to clients</td></tr>
 *   <tr><td>{@code purge-cloudflare-batch}</td><td>false</td><td>accept Cloudflare's spelling of a JSON purge batch: {@code files}, {@code prefixes} without a scheme, {@code purge_everything}</td></tr>
 *   <tr><td>{@code vary-languages}</td><td>none (learned)</td><td>comma-separated languages the application serves, the default first: a response varying on {@code Accept-Language} is keyed by the one the request picks (RFC 4647 lookup), and the servlet is shown that one ({@link LanguageVariants})</td></tr>
 *   <tr><td>{@code min-uses}</td><td>1</td><td>requests a key needs lately before its response is stored, 1 to 15: one-time URLs then do not push popular objects out ({@link Admission})</td></tr>
 *   <tr><td>{@code query-max-bytes}</td><td>65536</td><td>the largest content of a {@code QUERY} request whose response is cached, under a key that holds the content; a larger one passes ({@link QueryContent})</td></tr>
 *   <tr><td>{@code max-encoders}</td><td>{@value EncoderBudget#DEFAULT}</td><td>how many fills the cache may encode in gzip, br or zstd at once, each holding its encoder's memory (up to about 2 MiB, outside the heap) while it runs; a fill beyond them passes, stored by a later request ({@link EncoderBudget})</td></tr>
 *   <tr><td>{@code override-fields}</td><td>X-HTTP-Method-Override and the like ({@link dev.edgecache.http.RequestPolicy#DEFAULT_OVERRIDE_FIELDS})</td><td>comma-separated request fields that make a request pass uncached; {@code none} for none</td></tr>
 * </table>
 */
public final class InitParams {
  private InitParams() {}

  /** The name of every init-param. */
  public static final Set<String> NAMES = Set.of("cache-name", "stale-while-revalidate",
      "stale-if-error", "store-set-cookie", "max-ranges", "debug-key", "admin-path", "admin-token", "admin-token-file",
      "capacity-bytes", "max-object-bytes", "lock-timeout-ms", "keep-stale", "key-sort-query",
      "key-ignore-params", "key-keep-params", "key-ignore-tracking", "key-headers", "key-cookies", "max-variants", "heuristic-fraction",
      "heuristic-max", "ignore-cookies", "error-max-age", "override-fields", "hit-for-miss",
      "status-ttl", "never-store-statuses", "gzip", "tag-fields", "purge-cloudflare-batch", "vary-languages", "min-uses", "query-max-bytes", "max-encoders");

  /**
   * Settings from init-params; absent ones keep their defaults.
   *
   * @param param an init-param by name, or null when absent
   * @throws IllegalArgumentException naming the parameter and the bad value
   */
  public static FilterSettings parse(Function<String, String> param) {
    FilterSettings d = FilterSettings.DEFAULT;
    try {
      return FilterSettings.builder()
          .cacheName(text(param, "cache-name", d.cacheName()))
          .staleWhileRevalidate(seconds(param, "stale-while-revalidate", d.staleWhileRevalidate()))
          .staleIfError(seconds(param, "stale-if-error", d.staleIfError()))
          .storeSetCookie(bool(param, "store-set-cookie", d.storeSetCookie()))
          .maxRanges((int) number(param, "max-ranges", d.maxRanges()))
          .debugKey(bool(param, "debug-key", d.debugKey()))
          .adminPath(text(param, "admin-path", d.adminPath()))
          .adminToken(AdminTokens.resolve(param.apply("admin-token"), param.apply("admin-token-file"),
              System::getProperty, System::getenv))
          .capacityBytes(number(param, "capacity-bytes", d.capacityBytes()))
          .maxObjectBytes(number(param, "max-object-bytes", -1))
          .lockTimeout(Duration.ofMillis(number(param, "lock-timeout-ms", d.lockTimeout().toMillis())))
          .keepStale(seconds(param, "keep-stale", d.keepStale()))
          .keySortQuery(bool(param, "key-sort-query", d.keySortQuery()))
          .keyIgnoreParams(Set.copyOf(list(param, "key-ignore-params")))
          .keyKeepParams(Set.copyOf(list(param, "key-keep-params")))
          .keyIgnoreTracking(bool(param, "key-ignore-tracking", d.keyIgnoreTracking()))
          .keyHeaders(list(param, "key-headers"))
          .keyCookies(list(param, "key-cookies"))
          .maxVariants((int) number(param, "max-variants", d.maxVariants()))
          .heuristicFraction(fraction(param, "heuristic-fraction", d.heuristicFraction()))
          .heuristicMax(seconds(param, "heuristic-max", d.heuristicMax()))
          .ignoreCookies(list(param, "ignore-cookies"))
          .errorMaxAge(seconds(param, "error-max-age", d.errorMaxAge()))
          .overrideFields(overrideFields(param, d.overrideFields()))
          .hitForMiss(seconds(param, "hit-for-miss", d.hitForMiss()))
          .statusRules(statusRules(param, d.statusRules()))
          .gzip(bool(param, "gzip", d.gzip()))
          .tagFields(param.apply("tag-fields") == null || param.apply("tag-fields").isBlank() ? d.tagFields()
              : list(param, "tag-fields"))
          .purgeCloudflareBatch(bool(param, "purge-cloudflare-batch", d.purgeCloudflareBatch()))
          .varyLanguages(list(param, "vary-languages"))
          .minUses((int) number(param, "min-uses", d.minUses()))
          .queryMaxBytes((int) Math.min(Integer.MAX_VALUE, number(param, "query-max-bytes", d.queryMaxBytes())))
          .maxEncoders((int) Math.min(Integer.MAX_VALUE, number(param, "max-encoders", d.maxEncoders())))
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad init-param: " + e.getMessage(), e);
    }
  }

  private static dev.edgecache.http.StatusRules statusRules(Function<String, String> param,
      dev.edgecache.http.StatusRules dflt) {
    String ttl = param.apply("status-ttl");
    String never = param.apply("never-store-statuses");
    return new dev.edgecache.http.StatusRules(
        ttl == null || ttl.isBlank() ? dflt.lifetimes() : dev.edgecache.http.StatusRules.parseLifetimes(ttl),
        never == null || never.isBlank() ? dflt.neverStored() : dev.edgecache.http.StatusRules.parseStatuses(never));
  }

  private static Set<String> overrideFields(Function<String, String> param, Set<String> dflt) {
    String v = param.apply("override-fields");
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return v.trim().equalsIgnoreCase("none") ? Set.of() : Set.copyOf(list(param, "override-fields"));
  }

  private static double fraction(Function<String, String> param, String name, double dflt) {
    String v = param.apply(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: '" + v + "'");
    }
  }

  private static List<String> list(Function<String, String> param, String name) {
    String v = param.apply(name);
    List<String> out = new ArrayList<>();
    if (v != null) {
      for (String item : v.split(",")) {
        if (!item.isBlank()) {
          out.add(item.trim());
        }
      }
    }
    return out;
  }

  private static String text(Function<String, String> param, String name, String dflt) {
    String v = param.apply(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  private static long number(Function<String, String> param, String name, long dflt) {
    String v = param.apply(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a whole number: '" + v + "'");
    }
  }

  private static Duration seconds(Function<String, String> param, String name, Duration dflt) {
    return Duration.ofSeconds(number(param, name, dflt.toSeconds()));
  }

  private static boolean bool(Function<String, String> param, String name, boolean dflt) {
    String v = param.apply(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false: '" + v + "'");
    };
  }
}
