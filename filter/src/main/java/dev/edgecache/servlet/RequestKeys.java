package dev.edgecache.servlet;

import static dev.edgecache.servlet.CachedResponses.list;

import dev.edgecache.RequestHeaders;
import dev.edgecache.http.AcceptEncoding;
import dev.edgecache.http.ContentCoding;
import dev.edgecache.http.CookiePairs;
import dev.edgecache.http.QueryKey;
import dev.edgecache.http.RequestKey;
import dev.edgecache.http.StoragePlan;
import dev.edgecache.http.TargetForm;
import dev.edgecache.http.VaryRule;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deployment's settings make of a request for the cache: its primary key, the fields its
 * variants are selected by (headers, and the configured key cookies under pseudo names), and
 * whether its cookies make its response personal. Immutable, but for the schemes and ports it
 * notes for purges ({@link ServedAuthorities}).
 */
final class RequestKeys {
  /** The prefix of the pseudo-header names that carry key cookies through the vary rule. */
  private static final String COOKIE_FIELD = "edgecache-cookie-";

  private final FilterSettings settings;
  private final ServedAuthorities served = new ServedAuthorities();
  private final LanguageVariants languages;

  RequestKeys(FilterSettings settings) {
    this.settings = settings;
    this.languages = new LanguageVariants(settings.varyLanguages());
  }

  /** The primary key of a request, with the query as the settings shape it. */
  RequestKey keyOf(HttpServletRequest req) {
    String path = req.getContextPath() + keyPath(req);
    RequestKey key = new RequestKey(req.getScheme(), req.getServerName(), req.getServerPort(), path,
        QueryKey.normalise(TargetForm.canonicalQuery(req.getQueryString()), settings.keySortQuery(),
            settings.keyParams()), QueryContent.digestOf(req));
    served.saw(key);
    return key;
  }

  /** The schemes and ports keys were made with, for purges. */
  ServedAuthorities served() {
    return served;
  }

  /** The request's path as the client sent it, after the context path; null if it does not start with it. */
  static String rawPath(HttpServletRequest req) {
    String uri = req.getRequestURI();
    String context = req.getContextPath();
    return uri != null && uri.startsWith(context) ? uri.substring(context.length()) : null;
  }

  /** The decoded, normalised path the key is made of, after the context path (Servlet 6.0 §3.5). */
  static String keyPath(HttpServletRequest req) {
    return req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
  }

  /**
   * Whether the request carries a cookie that the deployment neither ignores nor keys on: then
   * its response is treated as personal, as RFC 9111 §3.5 treats one to {@code Authorization}.
   * A {@code Cookie} field that cannot be read as cookies counts as personal.
   */
  boolean personalCookies(HttpServletRequest req) {
    if (req.getHeader("Cookie") == null || settings.keyHeaders().contains("cookie")) {
      return false;
    }
    List<CookiePairs.Pair> cookies = CookiePairs.parse(list(req.getHeaders("Cookie")));
    if (cookies == null) {
      return true;
    }
    for (CookiePairs.Pair c : cookies) {
      if (!settings.cookieIsHarmless(c.name())) {
        return true;
      }
    }
    return false;
  }

  /** The deployment's rules for storing: its defaults, and its key fields added to every vary rule. */
  StoragePlan.Rules storageRules() {
    List<String> keyVary = new ArrayList<>(settings.keyHeaders());
    for (String cookie : settings.keyCookies()) {
      keyVary.add(COOKIE_FIELD + cookie);
    }
    return new StoragePlan.Rules(settings.storeSetCookie(), settings.errorMaxAge(),
        settings.staleWhileRevalidate(), settings.staleIfError(), settings.keepStale(), settings.heuristic(), keyVary,
        settings.statusRules(), settings.tagFields());
  }

  /**
   * The request as the application (or the origin) is shown it on a fill: without the query
   * parameters the key hides, and with the language its key picked where the deployment names
   * its languages, so that what it answers is what the key says.
   */
  HttpServletRequest shown(HttpServletRequest req) {
    return languages.shown(KeyedQueryRequest.of(req, settings.keyParams()));
  }

  /**
   * Notes, before a response is stored, what its fields teach of the keys of {@code key}'s later
   * requests: the language its origin answers the request's {@code Accept-Language} with.
   */
  void learn(HttpServletRequest req, RequestKey key, List<String> varyRule, dev.edgecache.http.StoredHead head) {
    languages.learn(key.cacheKey(), list(req.getHeaders("Accept-Language")), varyRule, head.values("content-language"));
  }

  /**
   * The request's fields as a vary rule reads them: real headers, and the configured key cookies
   * under pseudo names, so that the key's headers and cookies select variants of one primary key
   * (and a purge of the URL reaches them all); its languages as {@link LanguageVariants} keys them.
   */
  RequestHeaders varyFields(HttpServletRequest req, RequestKey key) {
    return RequestHeaders.from(name -> {
      if (name.equals("accept-language")) {
        return languages.keyOf(key.cacheKey(), list(req.getHeaders("Accept-Language")));
      }
      if (name.equals(ContentCoding.CODING_FIELD)) {
        return ContentCoding.variantOf(AcceptEncoding.parse(list(req.getHeaders("Accept-Encoding"))),
            EdgeCodings.beyondGzip());
      }
      if (name.startsWith(COOKIE_FIELD)) {
        // Vary names are compared without case; the configured name, with its case, is the one
        // whose values key the variant, exactly as sent.
        String cookie = keyCookie(name.substring(COOKIE_FIELD.length()));
        List<String> values = new ArrayList<>(1);
        List<CookiePairs.Pair> cookies = CookiePairs.parse(list(req.getHeaders("Cookie")));
        if (cookies != null) {
          for (CookiePairs.Pair c : cookies) {
            if (c.name().equals(cookie)) {
              values.add(c.value());
            }
          }
        }
        return values;
      }
      return VaryRule.normalise(name, list(req.getHeaders(name)));
    });
  }

  /** The configured key cookie whose name is {@code name} without regard to case. */
  private String keyCookie(String name) {
    for (String c : settings.keyCookies()) {
      if (c.equalsIgnoreCase(name)) {
        return c;
      }
    }
    return name;
  }
}
