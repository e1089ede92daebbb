package dev.edgecache.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Link} values of a stored response (RFC 8288) that a client can act on before the
 * response arrives: those whose relation types include {@code preload} or {@code preconnect},
 * what a {@code 103 Early Hints} (RFC 8297) carries. Pure.
 */
public final class PreloadLinks {
  /** The most links one hint carries. */
  static final int MAX_LINKS = 16;
  /** The longest link value passed on. */
  static final int MAX_LINK_LENGTH = 1024;

  private PreloadLinks() {}

  /**
   * The preload and preconnect links among the {@code Link} field lines, each as one field value;
   * empty if there are none, or if the field cannot be read as links (then nothing is hinted).
   */
  public static List<String> of(List<String> linkLines) {
    List<String> out = new ArrayList<>();
    for (String line : linkLines) {
      List<String> links = split(line);
      if (links == null) {
        return List.of();
      }
      for (String link : links) {
        if (link.length() <= MAX_LINK_LENGTH && hints(link) && out.size() < MAX_LINKS) {
          out.add(link);
        }
      }
    }
    return List.copyOf(out);
  }

  /** The links of one line, split at the commas outside {@code <...>} and quotes; null if malformed. */
  private static List<String> split(String line) {
    List<String> links = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inTarget = false;
    boolean inQuote = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return null;
      }
      if (inQuote) {
        if (c == '\\' && i + 1 < line.length()) {
          current.append(c).append(line.charAt(++i));
          continue;
        }
        inQuote = c != '"';
      } else if (inTarget) {
        inTarget = c != '>';
      } else if (c == '<') {
        inTarget = true;
      } else if (c == '"') {
        inQuote = true;
      } else if (c == ',') {
        add(links, current);
        continue;
      }
      current.append(c);
    }
    if (inTarget || inQuote) {
      return null;
    }
    add(links, current);
    return links;
  }

  private static void add(List<String> links, StringBuilder link) {
    String l = link.toString().trim();
    if (!l.isEmpty()) {
      links.add(l);
    }
    link.setLength(0);
  }

  /** Whether one link starts with a target and names preload or preconnect among its relations. */
  private static boolean hints(String link) {
    if (!link.startsWith("<") || link.indexOf('>') < 0) {
      return false;
    }
    for (String param : link.substring(link.indexOf('>') + 1).split(";")) {
      String p = param.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("rel")) {
        String value = p.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
        for (String rel : value.split("\\s+")) {
          if (rel.equals("preload") || rel.equals("preconnect")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
