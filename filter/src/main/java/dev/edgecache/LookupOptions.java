package dev.edgecache;

import java.util.Objects;

/**
 * Options of a lookup. Immutable; built with {@link #builder()}.
 *
 * @param requestHeaders the request's headers, from which a key's vary rule selects the variant
 * @param alwaysUseRequestedRange honour a body range even when the object's length is not yet
 *     known (a streaming write); otherwise such a read returns the whole body, as Fastly does
 */
public record LookupOptions(RequestHeaders requestHeaders, boolean alwaysUseRequestedRange) {
  /** No request headers, ranges as Fastly's default. */
  public static final LookupOptions DEFAULT = new LookupOptions(RequestHeaders.EMPTY, false);

  public LookupOptions {
    Objects.requireNonNull(requestHeaders, "requestHeaders must not be null");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LookupOptions}. Not thread-safe. */
  public static final class Builder {
    private RequestHeaders requestHeaders = RequestHeaders.EMPTY;
    private boolean alwaysUseRequestedRange;

    private Builder() {}

    /** The request's headers, from which a vary rule selects the variant. Default: none. */
    public Builder requestHeaders(RequestHeaders headers) {
      this.requestHeaders = Objects.requireNonNull(headers, "requestHeaders must not be null");
      return this;
    }

    /** Honour body ranges even while the length is unknown. Default: false. */
    public Builder alwaysUseRequestedRange(boolean value) {
      this.alwaysUseRequestedRange = value;
      return this;
    }

    public LookupOptions build() {
      return new LookupOptions(requestHeaders, alwaysUseRequestedRange);
    }
  }
}
