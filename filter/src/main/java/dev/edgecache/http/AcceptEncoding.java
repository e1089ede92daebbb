package dev.edgecache.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A request's {@code Accept-Encoding} (RFC 9110 §12.5.3): which content codings the client
 * takes, with their weights. An absent field takes any coding; {@code identity} is acceptable
 * unless excluded by {@code identity;q=0} or by {@code *;q=0} without it; {@code x-gzip} is
 * {@code gzip} (§8.4.1.3).
 */
public final class AcceptEncoding {
  /** The codings a variant key tells apart; any other the cache cannot tell a client takes. */
  static final List<String> KNOWN = List.of("br", "deflate", "gzip", "zstd");

  /**
   * Whether every request that {@link #variantKey} puts with one that takes {@code codings} (a
   * response's {@code Content-Encoding}, lower case, comma-separated; null for none) takes them
   * too: each coding is one the key tells apart, or identity. {@code x-gzip} is {@code gzip}.
   */
  public static boolean keyTellsApart(String codings) {
    if (codings == null) {
      return true;
    }
    for (String c : codings.split(",")) {
      String coding = c.trim();
      if (!coding.isEmpty() && !coding.equals("identity") && !coding.equals("x-gzip") && !KNOWN.contains(coding)) {
        return false;
      }
    }
    return true;
  }

  private final Map<String, Double> weights;
  private final boolean absent;

  private AcceptEncoding(Map<String, Double> weights, boolean absent) {
    this.weights = weights;
    this.absent = absent;
  }

  /** The field's lines, as received; none for an absent field. */
  public static AcceptEncoding parse(List<String> lines) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String line : lines) {
      for (String member : line.split(",")) {
        String[] parts = member.split(";");
        String coding = parts[0].trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty()) {
          continue;
        }
        if (coding.equals("x-gzip")) {
          coding = "gzip";
        }
        double q = 1;
        for (int i = 1; i < parts.length; i++) {
          String p = parts[i].trim();
          if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
            try {
              q = Double.parseDouble(p.substring(2).trim());
            } catch (NumberFormatException e) {
              q = 0; // a weight that cannot be read accepts nothing
            }
            if (!(q >= 0 && q <= 1)) {
              q = 0;
            }
          }
        }
        // the most specific mention wins; a repeated one keeps its lowest weight
        weights.merge(coding, q, Math::min);
      }
    }
    return new AcceptEncoding(weights, lines.isEmpty());
  }

  /**
   * Whether the client asked for {@code coding}: as {@link #accepts}, but an absent field asks
   * for none, since the clients that send none (scripts, load tools) mostly take none, and the
   * cache's own gzip must reach only those that said they take it.
   */
  public boolean asksFor(String coding) {
    return !absent && accepts(coding);
  }

  /**
   * Of {@code codings} (lower case, in the server's order of preference), the one the client asks
   * for ({@link #asksFor}) with the highest weight, the first of equal weights (RFC 9110 §12.5.3:
   * the weights are the client's preference); null if it asks for none of them.
   */
  public String preferred(List<String> codings) {
    if (absent) {
      return null;
    }
    String best = null;
    double bestWeight = 0;
    for (String c : codings) {
      double w = weight(c);
      if (w > bestWeight) {
        best = c;
        bestWeight = w;
      }
    }
    return best;
  }

  /** The weight the client gives {@code coding}, explicitly or through {@code *}; 0 for none. */
  private double weight(String coding) {
    Double q = weights.get(coding);
    if (q == null) {
      q = weights.get("*");
    }
    return q == null ? 0 : q;
  }

  /** Whether the client takes {@code coding} (lower case), explicitly or through {@code *}. */
  public boolean accepts(String coding) {
    if (absent) {
      return true;
    }
    Double q = weights.get(coding);
    if (q == null && coding.equals("identity")) {
      Double star = weights.get("*");
      return star == null || star > 0;
    }
    if (q == null) {
      q = weights.get("*");
    }
    return q != null && q > 0;
  }

  /**
   * The field as a variant key reads it: the known codings the client takes, in order, and
   * whether it takes identity; so that the many spellings of one choice ({@code gzip, deflate},
   * {@code deflate;q=0.5, gzip}, {@code gzip;q=1.0, deflate, x-foo}) select one variant.
   */
  public String variantKey() {
    TreeSet<String> taken = new TreeSet<>();
    for (String c : KNOWN) {
      if (accepts(c)) {
        taken.add(c);
      }
    }
    String key = String.join(",", taken);
    return accepts("identity") ? (key.isEmpty() ? "identity" : key) : key + ";no-identity";
  }
}
