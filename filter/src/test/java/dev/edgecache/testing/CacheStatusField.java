package dev.edgecache.testing;

/** Reads a {@code Cache-Status} value as tests assert on it (here and in the end-to-end tests). */
public final class CacheStatusField {
  private CacheStatusField() {}

  /**
   * Whether {@code cacheStatus} names the parameter {@code name} (RFC 9211 §2), rather than merely
   * holding its letters in a detail ({@code detail="stored body unreadable"}).
   */
  public static boolean names(String cacheStatus, String name) {
    for (String member : cacheStatus.split(";")) {
      String m = member.trim();
      if (m.equals(name) || m.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }
}
