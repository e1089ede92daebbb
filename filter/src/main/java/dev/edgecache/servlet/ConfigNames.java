package dev.edgecache.servlet;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one naming rule of the edge's configuration, and its check. A filter's setting is its
 * init-param {@code NAME}, or the web application's context parameter {@code edgecache.NAME}
 * (Tomcat's {@code <Parameter>}, a {@code <context-param>}, Jetty's
 * {@code setInitParameter}), whether the filter is declared in {@code web.xml} or made by CDI.
 * Every name under {@code edgecache.} must be known: a misspelled one would be silently ignored,
 * so it fails the start instead, naming it, the nearest known name, and the known names.
 */
public final class ConfigNames {
  /** The prefix of the context parameters of the edge. */
  public static final String PREFIX = "edgecache.";

  /**
   * The context parameters of the store that the sample WAR and the runnable edge read, besides
   * the filter's settings: {@code edgecache.store}, {@code edgecache.cluster} and the rest.
   */
  public static final Set<String> STORE_PARAMS = Set.of("store", "cluster", "ehcache-config", "cluster-mb",
      "offheap-mb", "disk-mb", "heap-entries", "max-object-mb", "disk-dir");

  private ConfigNames() {}

  /**
   * Checks a filter's init-params and its application's {@code edgecache.*} context parameters.
   *
   * @throws IllegalArgumentException naming the first unknown one, the nearest known name, and
   *     every known name
   */
  public static void check(FilterConfig config) {
    for (String name : Collections.list(config.getInitParameterNames())) {
      if (!FilterSettings.INIT_PARAMS.contains(name)) {
        throw unknown("init-param '" + name + "'", name, FilterSettings.INIT_PARAMS, "");
      }
    }
    check(config.getServletContext());
  }

  /** Checks an application's {@code edgecache.*} context parameters; see {@link #check(FilterConfig)}. */
  public static void check(ServletContext context) {
    if (context == null) {
      return;
    }
    Set<String> known = new TreeSet<>(FilterSettings.INIT_PARAMS);
    known.addAll(STORE_PARAMS);
    for (String name : Collections.list(context.getInitParameterNames())) {
      if (name.startsWith(PREFIX) && !known.contains(name.substring(PREFIX.length()))) {
        throw unknown("context parameter '" + name + "'", name.substring(PREFIX.length()), known, PREFIX);
      }
    }
  }

  private static IllegalArgumentException unknown(String what, String name, Collection<String> known, String prefix) {
    String near = nearest(name, known);
    return new IllegalArgumentException("unknown " + what + (near == null ? "" : " (did you mean " + prefix + near + "?)")
        + "; known: " + String.join(", ", new TreeSet<>(known)));
  }

  /**
   * The known name nearest {@code given} by edit distance, if it is near enough to be a slip
   * (at most a third of its length, and at least two edits allowed); null if none is.
   */
  public static String nearest(String given, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(given, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length()];
  }
}
