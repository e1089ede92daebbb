package dev.edgecache.http;

import java.util.List;

/**
 * Whether field values form a valid Structured Field Dictionary (RFC 8941 §3.2, parsed as §4.2
 * says). {@code CDN-Cache-Control} is defined as a Dictionary (RFC 9213 §2.1), and a value that
 * fails to parse as one is ignored as a whole (RFC 8941 §4.2: parsing fails for the whole field),
 * so a cache falls back to {@code Cache-Control} rather than to whichever members it could read.
 * Only the syntax is checked; the meaning of each member is {@link CacheControl}'s. Pure.
 */
public final class StructuredDictionary {
  /** Longer values are not parsed; a dictionary of cache directives is a few dozen bytes. */
  private static final int MAX_LENGTH = 8192;

  private final String s;
  private int i;

  private StructuredDictionary(String s) {
    this.s = s;
  }

  /** Whether the field lines, combined as RFC 8941 §4.2 combines them, are a valid Dictionary. */
  public static boolean isValid(List<String> lines) {
    String joined = String.join(",", lines);
    if (joined.length() > MAX_LENGTH) {
      return false;
    }
    return new StructuredDictionary(joined).dictionary();
  }

  private boolean dictionary() {
    skipSp();
    if (i == s.length()) {
      return true; // an empty field is an empty dictionary
    }
    while (true) {
      if (!key()) {
        return false;
      }
      if (peek('=')) {
        i++;
        if (!itemOrInnerList()) {
          return false;
        }
      } else if (!parameters()) {
        return false;
      }
      skipOws();
      if (i == s.length()) {
        return true;
      }
      if (!peek(',')) {
        return false;
      }
      i++;
      skipOws();
      if (i == s.length()) {
        return false; // a trailing comma
      }
    }
  }

  private boolean itemOrInnerList() {
    if (peek('(')) {
      i++;
      while (true) {
        skipSp();
        if (peek(')')) {
          i++;
          return parameters();
        }
        if (!bareItem() || !parameters()) {
          return false;
        }
        if (!peek(' ') && !peek(')')) {
          return false;
        }
      }
    }
    return bareItem() && parameters();
  }

  private boolean parameters() {
    while (peek(';')) {
      i++;
      skipSp();
      if (!key()) {
        return false;
      }
      if (peek('=')) {
        i++;
        if (!bareItem()) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean key() {
    if (i == s.length()) {
      return false;
    }
    char c = s.charAt(i);
    if (!(c >= 'a' && c <= 'z') && c != '*') {
      return false;
    }
    i++;
    while (i < s.length()) {
      c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*') {
        i++;
      } else {
        break;
      }
    }
    return true;
  }

  private boolean bareItem() {
    if (i == s.length()) {
      return false;
    }
    char c = s.charAt(i);
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    if (c == '"') {
      return string();
    }
    if (c == ':') {
      return byteSequence();
    }
    if (c == '?') {
      i++;
      if (peek('0') || peek('1')) {
        i++;
        return true;
      }
      return false;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*') {
      return token();
    }
    return false;
  }

  /** §4.2.4: at most 15 integer digits, or 12 before and 1 to 3 after a decimal point. */
  private boolean number() {
    if (peek('-')) {
      i++;
    }
    int start = i;
    int dot = -1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        i++;
      } else if (c == '.' && dot < 0) {
        dot = i++;
      } else {
        break;
      }
    }
    if (dot < 0) {
      int digits = i - start;
      return digits >= 1 && digits <= 15;
    }
    int before = dot - start;
    int after = i - dot - 1;
    return before >= 1 && before <= 12 && after >= 1 && after <= 3;
  }

  private boolean string() {
    i++;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '\\') {
        if (i == s.length() || (s.charAt(i) != '"' && s.charAt(i) != '\\')) {
          return false;
        }
        i++;
      } else if (c == '"') {
        return true;
      } else if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return false;
  }

  private boolean byteSequence() {
    i++;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == ':') {
        return true;
      }
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=')) {
        return false;
      }
    }
    return false;
  }

  /** §3.3.4: a token starts with ALPHA or "*" and continues with tchar, ":" or "/". */
  private boolean token() {
    i++;
    while (i < s.length() && (Tokens.isTokenChar(s.charAt(i)) || s.charAt(i) == ':' || s.charAt(i) == '/')) {
      i++;
    }
    return true;
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void skipSp() {
    while (peek(' ')) {
      i++;
    }
  }

  private void skipOws() {
    while (peek(' ') || peek('\t')) {
      i++;
    }
  }
}
