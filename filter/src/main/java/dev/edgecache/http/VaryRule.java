package dev.edgecache.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A response's {@code Vary} (RFC 9110 §12.5.5) as the list of request header names that select a
 * variant. {@code Vary: *} can never be matched by a later request, so such a response is not
 * stored (RFC 9111 §4.1). More than {@value #MAX_NAMES} names, or a name that is not a token, makes
 * the rule unusable: the response is not stored either. Pure.
 *
 * @param names lower-case, without duplicates, in the order given
 * @param star whether {@code *} was among them
 * @param unusable whether the field was too long or malformed
 */
public record VaryRule(List<String> names, boolean star, boolean unusable) {
  /** The most names a rule may have. */
  public static final int MAX_NAMES = 16;

  /** No vary rule. */
  public static final VaryRule NONE = new VaryRule(List.of(), false, false);

  public VaryRule {
    names = List.copyOf(names);
  }

  /** Parses every {@code Vary} line of a response. */
  public static VaryRule parse(List<String> fieldValues) {
    List<String> names = new ArrayList<>();
    boolean star = false;
    for (String line : fieldValues) {
      if (line == null) {
        continue;
      }
      for (String member : line.split(",", MAX_NAMES * 4)) {
        String name = member.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (name.equals("*")) {
          star = true;
        } else if (!Tokens.isToken(name)) {
          return new VaryRule(List.of(), star, true);
        } else {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!names.contains(lower)) {
            names.add(lower);
          }
        }
        if (names.size() > MAX_NAMES) {
          return new VaryRule(List.of(), star, true);
        }
      }
    }
    return names.isEmpty() && !star ? NONE : new VaryRule(names, star, false);
  }

  /** Request fields whose values compare case-insensitively (RFC 9110 §12.5). */
  private static final java.util.Set<String> CASE_INSENSITIVE =
      java.util.Set.of("accept-encoding", "accept-language", "accept-charset");

  /**
   * A request field's values as a variant key reads them: every line and list member, trimmed,
   * empty members dropped, and lower-cased for fields whose values are case-insensitive, so that
   * {@code "gzip,  deflate"} and {@code "gzip" + "deflate"} select one variant rather than two;
   * {@code Accept-Encoding} as the set of codings it takes ({@link AcceptEncoding#variantKey}).
   */
  public static List<String> normalise(String name, List<String> values) {
    if (values.isEmpty()) {
      return values;
    }
    if (name.equalsIgnoreCase("accept-encoding")) {
      // the codings taken, not their spelling: a handful of variants rather than one per client
      return List.of(AcceptEncoding.parse(values).variantKey());
    }
    boolean lower = CASE_INSENSITIVE.contains(name.toLowerCase(Locale.ROOT));
    StringBuilder sb = new StringBuilder();
    for (String line : values) {
      for (String member : line.split(",")) {
        String m = member.trim();
        if (!m.isEmpty()) {
          if (sb.length() > 0) {
            sb.append(',');
          }
          sb.append(lower ? m.toLowerCase(Locale.ROOT) : m);
        }
      }
    }
    return List.of(sb.toString());
  }

  /** Whether a response with this rule may be stored. */
  public boolean storable() {
    return !star && !unusable;
  }
}
