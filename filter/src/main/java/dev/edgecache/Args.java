package dev.edgecache;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the option builders; each message names the argument. */
final class Args {
  private Args() {}

  static Duration nonNegative(Duration value, String name) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }

  static Duration positive(Duration value, String name) {
    nonNegative(value, name);
    if (value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }

  /** RFC 9110 §5.6.2 token characters, which header names are made of. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
