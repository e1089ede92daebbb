package dev.edgecache.servlet.admin;

import dev.edgecache.EdgeCache;
import dev.edgecache.WriteOptions;
import dev.edgecache.http.PurgeScopes;
import dev.edgecache.http.QueryKey;
import dev.edgecache.http.TargetForm;
import dev.edgecache.http.RequestKey;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.servlet.ServedAuthorities;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one call to the admin path's {@code purge} asks for, checked whole before anything is
 * purged: URLs, surrogate keys, path prefixes, hosts or everything, hard or soft, from form
 * fields or from a JSON batch. {@link #run} purges and says, item by item, what was purged.
 *
 * <p>The rules every form follows: a URL, a prefix and a host match whatever the scheme and port
 * (a URL is purged under each scheme and port the filter has served, {@link ServedAuthorities});
 * dot segments in a path are resolved (RFC 3986 §5.2.4) as a request's are before it is keyed;
 * {@code soft} is {@code true}/{@code 1} or {@code false}/{@code 0}, anything else refused; and
 * everything is purged hard only (a soft purge of everything is refused, never done hard).
 *
 * <p>A JSON batch, up to {@value #MAX_ITEMS} items in all:
 *
 * <pre>{@code
 * {"soft": false,
 *  "urls": ["https://shop.example/cart"],
 *  "tags": ["product-42"],
 *  "prefixes": ["https://shop.example/blog/"],
 *  "hosts": ["static.example"]}
 * }</pre>
 */
final class PurgeOrder {
  /** Most items in one call. */
  static final int MAX_ITEMS = 1000;
  /** Largest JSON body read, in bytes. */
  static final int MAX_BODY_BYTES = 1 << 20;
  private static final Set<String> MEMBERS = Set.of("soft", "urls", "tags", "prefixes", "hosts", "all");
  /** Cloudflare's spellings of a batch, accepted with the setting {@code purge-cloudflare-batch}. */
  private static final Set<String> CLOUDFLARE_MEMBERS = Set.of("files", "purge_everything");

  /** What an item purges. */
  enum Kind {
    URL("url"), TAG("tag"), PREFIX("prefix"), HOST("host"), ALL("all");

    final String field;

    Kind(String field) {
      this.field = field;
    }
  }

  /**
   * One thing to purge, as given and as the cache knows it.
   *
   * @param target the request key ({@code URL}), the surrogate key ({@code TAG}) or the scope
   *     ({@code PREFIX}, {@code HOST}); null for {@code ALL}
   */
  record Item(Kind kind, String given, Object target) {}

  /** A request that cannot be carried out, with what to tell the caller. */
  static final class Refused extends Exception {
    /** The status to answer with. */
    final int status;

    Refused(String message) {
      this(400, message);
    }

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  final boolean soft;
  final List<Item> items;

  private PurgeOrder(boolean soft, List<Item> items) throws Refused {
    if (soft && items.stream().anyMatch(i -> i.kind() == Kind.ALL)) {
      // nothing could mark every object stale in one step: refused rather than done hard
      throw new Refused("a soft purge of everything is not offered: purge everything hard, or"
          + " soft-purge its hosts, prefixes or tags");
    }
    this.soft = soft;
    this.items = List.copyOf(items);
  }

  /** The order of the {@code PURGE} method: the request's own key. */
  static PurgeOrder ofKey(RequestKey key, boolean soft) throws Refused {
    return new PurgeOrder(soft, List.of(new Item(Kind.URL, key.text(), key)));
  }

  /**
   * A yes or no as operators spell it in a form field or a header: {@code true} or {@code 1},
   * {@code false} or {@code 0} (in any case); absent is no.
   *
   * @throws Refused for anything else, naming {@code what}
   */
  static boolean yesOrNo(String given, String what) throws Refused {
    if (given == null) {
      return false;
    }
    String v = given.trim();
    if (v.equals("1") || v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equals("0") || v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new Refused(what + " must be true, false, 1 or 0: " + Json.quote(given));
  }

  /** The order of form fields: {@code url=}, {@code tag=}, {@code prefix=} or {@code host=} (each may repeat), or {@code all=true}. */
  static PurgeOrder ofForm(Map<String, String[]> fields, FilterSettings settings) throws Refused {
    boolean soft = yesOrNo(first(fields.get("soft")), "soft");
    List<Item> items = new ArrayList<>();
    if (yesOrNo(first(fields.get("all")), "all")) {
      items.add(new Item(Kind.ALL, "true", null));
    }
    for (Kind kind : List.of(Kind.URL, Kind.TAG, Kind.PREFIX, Kind.HOST)) {
      String[] given = fields.get(kind.field);
      if (given != null) {
        for (String g : given) {
          add(items, item(kind, g, settings));
        }
      }
    }
    if (items.isEmpty()) {
      throw new Refused("give url=, tag=, prefix=, host= or all=true, or a JSON batch");
    }
    return new PurgeOrder(soft, items);
  }

  /** The order of a JSON batch. */
  static PurgeOrder ofJson(String body, FilterSettings settings) throws Refused {
    Object value;
    try {
      value = Json.read(body);
    } catch (IllegalArgumentException e) {
      throw new Refused(e.getMessage());
    }
    if (!(value instanceof Map<?, ?> members)) {
      throw new Refused("a purge batch is a JSON object");
    }
    boolean cloudflare = settings.purgeCloudflareBatch();
    for (Object name : members.keySet()) {
      if (!MEMBERS.contains(name) && !(cloudflare && CLOUDFLARE_MEMBERS.contains(name))) {
        java.util.TreeSet<String> known = new java.util.TreeSet<>(MEMBERS);
        if (cloudflare) {
          known.addAll(CLOUDFLARE_MEMBERS);
        }
        throw new Refused("unknown member " + Json.quote((String) name) + " (known: " + String.join(", ", known) + ")");
      }
    }
    boolean soft = flag(members.get("soft"), "soft");
    List<Item> items = new ArrayList<>();
    if (flag(members.get("all"), "all") || flag(members.get("purge_everything"), "purge_everything")) {
      items.add(new Item(Kind.ALL, "true", null));
    }
    addAll(items, members.get("urls"), "urls", Kind.URL, settings);
    addFiles(items, members.get("files"), settings);
    addAll(items, members.get("tags"), "tags", Kind.TAG, settings);
    addAll(items, members.get("prefixes"), "prefixes", Kind.PREFIX, settings);
    addAll(items, members.get("hosts"), "hosts", Kind.HOST, settings);
    if (items.isEmpty()) {
      throw new Refused("the batch names nothing to purge");
    }
    return new PurgeOrder(soft, items);
  }

  private static boolean flag(Object value, String name) throws Refused {
    if (value == null) {
      return false;
    }
    if (value instanceof Number n && (n.doubleValue() == 1 || n.doubleValue() == 0)) {
      return n.doubleValue() == 1;
    }
    if (!(value instanceof Boolean b)) {
      throw new Refused(Json.quote(name) + " must be true or false (or 1 or 0)");
    }
    return b;
  }

  private static void addAll(List<Item> items, Object value, String name, Kind kind, FilterSettings settings)
      throws Refused {
    if (value == null) {
      return;
    }
    if (!(value instanceof List<?> list)) {
      throw new Refused(Json.quote(name) + " must be an array of strings");
    }
    for (Object v : list) {
      if (!(v instanceof String s)) {
        throw new Refused(Json.quote(name) + " must be an array of strings");
      }
      add(items, item(kind, s, settings));
    }
  }

  /**
   * Cloudflare's {@code files}: URLs as strings, or objects whose {@code url} is one (the
   * {@code headers} with them name a variant; every variant of the URL is purged here).
   */
  private static void addFiles(List<Item> items, Object value, FilterSettings settings) throws Refused {
    if (value == null) {
      return;
    }
    if (!(value instanceof List<?> list)) {
      throw new Refused("\"files\" must be an array");
    }
    for (Object v : list) {
      Object url = v instanceof Map<?, ?> file ? file.get("url") : v;
      if (!(url instanceof String s)) {
        throw new Refused("\"files\" holds URLs, or objects with a \"url\"");
      }
      add(items, item(Kind.URL, s, settings));
    }
  }

  private static void add(List<Item> items, Item item) throws Refused {
    if (items.size() >= MAX_ITEMS) {
      throw new Refused("a purge names " + MAX_ITEMS + " items at most");
    }
    items.add(item);
  }

  private static Item item(Kind kind, String given, FilterSettings settings) throws Refused {
    return switch (kind) {
      case URL -> new Item(kind, given, key(given, settings));
      case TAG -> {
        try {
          yield new Item(kind, given, WriteOptions.checkSurrogateKey(given));
        } catch (IllegalArgumentException e) {
          throw new Refused("not a surrogate key: " + Json.quote(given));
        }
      }
      case PREFIX -> {
        // Cloudflare's prefixes have no scheme; neither scheme nor port counts in a prefix
        URI u = absolute(settings.purgeCloudflareBatch() && !given.contains("://") ? "http://" + given : given,
            "prefix");
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
          throw new Refused("a prefix has no query or fragment: " + Json.quote(given));
        }
        yield new Item(kind, given, PurgeScopes.prefix(u.getHost(), path(u)));
      }
      case HOST -> new Item(kind, given, PurgeScopes.host(host(given)));
      case ALL -> new Item(kind, given, null);
    };
  }

  /** The cache key of an absolute URL, its query normalised as the filter's keys are. */
  static RequestKey key(String url, FilterSettings settings) throws Refused {
    URI u = absolute(url, "url");
    // the query in the form a request's key takes it, or no key: such a request is never stored
    String query = TargetForm.canonicalQuery(u.getRawQuery());
    if (u.getRawQuery() != null && query == null) {
      throw new Refused("a URL whose query no request could be stored under: " + Json.quote(url));
    }
    return new RequestKey(u.getScheme(), u.getHost(), u.getPort(), path(u),
        QueryKey.normalise(query, settings.keySortQuery(), settings.keyParams()));
  }

  private static URI absolute(String given, String what) throws Refused {
    try {
      URI u = new URI(given);
      String scheme = u.getScheme();
      if (scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && u.getHost() != null) {
        return u;
      }
    } catch (java.net.URISyntaxException e) {
      // refused below
    }
    throw new Refused(what + " must be an absolute http(s) URL: " + Json.quote(given));
  }

  /** The URL's decoded path, its dot segments resolved as a request's are before it is keyed. */
  private static String path(URI u) {
    return u.getPath() == null || u.getPath().isEmpty() ? "/" : TargetForm.withoutDotSegments(u.getPath());
  }

  /** A host name or address as a purge by host takes it: no scheme, path or port. */
  private static String host(String given) throws Refused {
    if (given.isEmpty() || given.length() > 255
        || !given.matches("[A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+\\]")) {
      throw new Refused("host must be a host name or address alone: " + Json.quote(given));
    }
    return given;
  }

  private static String first(String[] values) {
    return values == null || values.length == 0 ? null : values[0];
  }

  /**
   * Purges every item, in order, and answers what each purged. A URL or a tag says how many
   * objects it removed ({@code "purged":n}: objects, not hit-for-miss markers; a URL counts once
   * however many of its schemes, ports or variants held one). A prefix, a host or everything is
   * purged in one step that cannot count, and says so ({@code "scope":"invalidated"}). Every
   * purge is in the store when this returns: on a cluster, every node misses from then on.
   *
   * @param served the schemes and ports a URL is purged under
   * @return the answer, and whether every item was carried out
   */
  Answer run(EdgeCache cache, ServedAuthorities served) {
    StringBuilder out = new StringBuilder(64 + items.size() * 64);
    out.append("{\"soft\":").append(soft).append(",\"items\":[");
    boolean ok = true;
    long objects = 0;
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      out.append(i == 0 ? "" : ",").append('{').append(Json.quote(item.kind().field)).append(':')
          .append(item.kind() == Kind.ALL ? "true" : Json.quote(item.given()));
      switch (item.kind()) {
        case URL -> {
          boolean any = false;
          any |= served.purge(cache, (RequestKey) item.target(), soft);
          int n = any ? 1 : 0;
          objects += n;
          out.append(",\"purged\":").append(n);
        }
        case TAG -> {
          String tag = (String) item.target();
          int n = soft ? cache.softPurgeSurrogateKey(tag) : cache.purgeSurrogateKey(tag);
          objects += n;
          out.append(",\"purged\":").append(n);
        }
        case PREFIX, HOST -> {
          String scope = (String) item.target();
          boolean done = soft ? cache.softPurgeScope(scope) : cache.purgeScope(scope);
          ok &= done;
          out.append(done ? ",\"scope\":\"invalidated\"" : ",\"scope\":null,\"error\":\"the store failed\"");
        }
        case ALL -> {
          boolean done = cache.purgeAll();
          ok &= done;
          out.append(done ? ",\"scope\":\"invalidated\"" : ",\"scope\":null,\"error\":\"the store failed\"");
        }
      }
      out.append('}');
    }
    out.append("],\"purged\":").append(objects).append(",\"ok\":").append(ok).append('}');
    return new Answer(out.toString(), ok);
  }

  /** What {@link #run} answers: the JSON, and whether every item was carried out. */
  record Answer(String json, boolean ok) {}
}
