package dev.edgecache.servlet.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the admin path reads and writes (RFC 8259): a strict reader of a whole text
 * into maps, lists, strings, booleans, numbers (as {@code Double}) and null, bounded in depth so
 * that a hostile body cannot exhaust the stack, and string quoting for answers.
 */
final class Json {
  /** Deepest nesting read. */
  static final int MAX_DEPTH = 16;

  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  /**
   * The value of a JSON text.
   *
   * @throws IllegalArgumentException if it is not one JSON value, with where it went wrong
   */
  static Object read(String text) {
    Json j = new Json(text);
    Object value = j.value(0);
    j.space();
    if (j.at != text.length()) {
      throw j.error("text after the value");
    }
    return value;
  }

  /** {@code s} as a JSON string, quoted and escaped. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // controls, and the line separators some script parsers choke on, as \\u escapes
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    space();
    if (at >= text.length()) {
      throw error("a value was expected");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object(int depth) {
    at++;
    Map<String, Object> members = new LinkedHashMap<>();
    space();
    if (peek('}')) {
      at++;
      return members;
    }
    while (true) {
      space();
      if (!peek('"')) {
        throw error("a member name was expected");
      }
      String name = string();
      space();
      expect(':');
      if (members.containsKey(name)) {
        throw error("the member " + quote(name) + " is given twice");
      }
      members.put(name, value(depth + 1));
      space();
      if (peek(',')) {
        at++;
      } else {
        expect('}');
        return members;
      }
    }
  }

  private List<Object> array(int depth) {
    at++;
    List<Object> items = new ArrayList<>();
    space();
    if (peek(']')) {
      at++;
      return items;
    }
    while (true) {
      items.add(value(depth + 1));
      space();
      if (peek(',')) {
        at++;
      } else {
        expect(']');
        return items;
      }
    }
  }

  private String string() {
    at++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("a control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("a short \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("a bad \\u escape");
          }
          at += 4;
        }
        default -> throw error("a bad escape");
      }
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("an unknown word");
    }
    at += word.length();
    return value;
  }

  private Double number() {
    int start = at;
    if (peek('-')) {
      at++;
    }
    int first = at;
    if (digits() == 0 || (text.charAt(first) == '0' && at - first > 1)) {
      throw error("a value was expected");
    }
    if (peek('.')) {
      at++;
      if (digits() == 0) {
        throw error("a bad number");
      }
    }
    if (peek('e') || peek('E')) {
      at++;
      if (peek('+') || peek('-')) {
        at++;
      }
      if (digits() == 0) {
        throw error("a bad number");
      }
    }
    return Double.valueOf(text.substring(start, at));
  }

  /** Skips decimal digits; how many. */
  private int digits() {
    int from = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at - from;
  }

  private void space() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private boolean peek(char c) {
    return at < text.length() && text.charAt(at) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "' was expected");
    }
    at++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not JSON at character " + at + ": " + what);
  }
}
