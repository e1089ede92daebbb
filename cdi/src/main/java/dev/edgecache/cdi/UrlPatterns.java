package dev.edgecache.cdi;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Servlet URL patterns (Jakarta Servlet 6.0 §12.2) matched against a request's path within its
 * application, for a filter registered on {@code /*} that acts on some paths only.
 */
final class UrlPatterns {
  private final boolean all;
  private final Set<String> exact;
  private final List<String> prefixes;
  private final Set<String> extensions;

  UrlPatterns(List<String> patterns) {
    boolean everything = false;
    Set<String> exactPaths = new java.util.HashSet<>();
    List<String> prefixPaths = new ArrayList<>();
    Set<String> exts = new java.util.HashSet<>();
    for (String p : patterns) {
      check(p);
      if (p.equals("/*") || p.equals("/")) {
        everything = true; // "/" is the default servlet: every path no other mapping takes
      } else if (p.isEmpty()) {
        exactPaths.add("/"); // the application's root
      } else if (p.endsWith("/*")) {
        prefixPaths.add(p.substring(0, p.length() - 2));
      } else if (p.startsWith("*.")) {
        exts.add(p.substring(1));
      } else {
        exactPaths.add(p);
      }
    }
    all = everything;
    exact = Set.copyOf(exactPaths);
    prefixes = List.copyOf(prefixPaths);
    extensions = Set.copyOf(exts);
  }

  /** Throws unless the text is a servlet URL pattern. */
  static void check(String p) {
    if (p == null || !(p.isEmpty() || p.startsWith("/") || (p.startsWith("*.") && p.length() > 2 && !p.contains("/")))
        || (p.indexOf('*') >= 0 && !p.endsWith("/*") && !p.startsWith("*."))
        || (p.startsWith("/") && p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1)) {
      throw new IllegalArgumentException("not a servlet URL pattern: '" + p
          + "' (use /exact/path, /prefix/*, *.extension or /*)");
    }
  }

  /** Whether a path within the application (servlet path plus path info) matches. */
  boolean matches(String path) {
    if (all || exact.contains(path)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot > slash && extensions.contains(path.substring(dot));
  }
}
