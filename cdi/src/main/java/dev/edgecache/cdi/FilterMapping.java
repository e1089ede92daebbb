package dev.edgecache.cdi;

import java.util.List;
import java.util.Objects;

/**
 * Produced by an application that wants the edge cache filter without {@code web.xml}: the
 * filter is then registered when the application starts and caches the requests whose path
 * (within the application) matches one of these servlet URL patterns: an exact path such as
 * {@code /about}, a prefix such as {@code /api/*}, an extension such as {@code *.css}, or
 * {@code /*} for everything. With no such bean, and in an application that declares the filter
 * itself, nothing is registered.
 *
 * <pre>{@code
 * @Produces FilterMapping edge() { return FilterMapping.of("/pages/*", "*.css"); }
 * }</pre>
 *
 * @param urlPatterns the patterns, at least one
 */
public record FilterMapping(List<String> urlPatterns) {
  public FilterMapping {
    urlPatterns = List.copyOf(Objects.requireNonNull(urlPatterns, "urlPatterns"));
    if (urlPatterns.isEmpty()) {
      throw new IllegalArgumentException("a FilterMapping needs at least one URL pattern");
    }
    for (String p : urlPatterns) {
      UrlPatterns.check(p);
    }
  }

  /** The filter on these URL patterns. */
  public static FilterMapping of(String... urlPatterns) {
    return new FilterMapping(List.of(urlPatterns));
  }
}
