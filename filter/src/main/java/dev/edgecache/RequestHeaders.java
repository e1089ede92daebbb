package dev.edgecache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The request header fields a vary rule reads: an immutable multimap whose names compare
 * case-insensitively (RFC 9110 §5.1). Values are kept as given, in order; normalising them (for
 * example {@code Accept-Encoding}) is the caller's business.
 */
public final class RequestHeaders {
  /** No headers. */
  public static final RequestHeaders EMPTY = new RequestHeaders(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

  private final Map<String, List<String>> fields;

  private RequestHeaders(TreeMap<String, List<String>> fields) {
    this.fields = Collections.unmodifiableMap(fields);
  }

  /**
   * A copy of {@code fields}. Names that differ only in case are merged.
   *
   * @throws NullPointerException if the map, a name, a value list or a value is null
   */
  public static RequestHeaders of(Map<String, ? extends List<String>> fields) {
    Builder b = builder();
    fields.forEach((name, values) -> values.forEach(v -> b.add(name, v)));
    return b.build();
  }

  /** Headers given as name, value, name, value... */
  public static RequestHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The values of the field {@code name}, in order; empty if absent. */
  public List<String> values(String name) {
    List<String> v = fields.get(name);
    return v == null ? List.of() : v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestHeaders other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.toString();
  }

  /** Builds {@link RequestHeaders}. Not thread-safe. */
  public static final class Builder {
    private final TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private Builder() {}

    /** Adds one value of the field {@code name}. */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "header name must not be null");
      Objects.requireNonNull(value, "value of header " + name + " must not be null");
      fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    public RequestHeaders build() {
      TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      fields.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new RequestHeaders(copy);
    }
  }
}
