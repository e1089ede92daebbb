package dev.edgecache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The request header fields a vary rule reads: an immutable multimap whose names compare
 * case-insensitively (RFC 9110 §5.1). Values are kept as given, in order; normalising them (for
 * example {@code Accept-Encoding}) is the caller's business.
 */
public final class RequestHeaders {
  /** No headers. */
  public static final RequestHeaders EMPTY = new RequestHeaders(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

  private final Map<String, List<String>> fields;
  /** For headers read on demand from a live request; null for a copied map. */
  private final Function<String, List<String>> source;

  private RequestHeaders(TreeMap<String, List<String>> fields) {
    this.fields = Collections.unmodifiableMap(fields);
    this.source = null;
  }

  private RequestHeaders(Function<String, List<String>> source) {
    this.fields = null;
    this.source = source;
  }

  /**
   * Headers read on demand through {@code source}, which must answer case-insensitively and
   * never return null: a request's fields are copied only when a vary rule asks for them, so a
   * lookup of a key without one costs nothing. The source must not change while a lookup runs.
   */
  public static RequestHeaders from(Function<String, List<String>> source) {
    return new RequestHeaders(Objects.requireNonNull(source, "source must not be null"));
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
    if (source != null) {
      List<String> v = source.apply(name);
      return v == null ? List.of() : v;
    }
    List<String> v = fields.get(name);
    return v == null ? List.of() : v;
  }

  /** Copied headers are equal when their fields are; headers read on demand only to themselves. */
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof RequestHeaders other && fields != null && fields.equals(other.fields));
  }

  @Override
  public int hashCode() {
    return fields != null ? fields.hashCode() : System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return fields != null ? fields.toString() : "RequestHeaders(on demand)";
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
