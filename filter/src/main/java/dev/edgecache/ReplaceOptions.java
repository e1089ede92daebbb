package dev.edgecache;

import java.util.Objects;

/**
 * Options of {@link EdgeCache#replace}. Immutable; built with {@link #builder()}.
 *
 * @param requestHeaders the request's headers, for the vary rule
 * @param strategy how concurrent lookups see the replacement
 * @param alwaysUseRequestedRange as in {@link LookupOptions}
 */
public record ReplaceOptions(
    RequestHeaders requestHeaders, ReplaceStrategy strategy, boolean alwaysUseRequestedRange) {
  /** Immediate replacement, no request headers. */
  public static final ReplaceOptions DEFAULT =
      new ReplaceOptions(RequestHeaders.EMPTY, ReplaceStrategy.IMMEDIATE, false);

  public ReplaceOptions {
    Objects.requireNonNull(requestHeaders, "requestHeaders must not be null");
    Objects.requireNonNull(strategy, "strategy must not be null");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ReplaceOptions}. Not thread-safe. */
  public static final class Builder {
    private RequestHeaders requestHeaders = RequestHeaders.EMPTY;
    private ReplaceStrategy strategy = ReplaceStrategy.IMMEDIATE;
    private boolean alwaysUseRequestedRange;

    private Builder() {}

    /** The request's headers, for the vary rule. Default: none. */
    public Builder requestHeaders(RequestHeaders headers) {
      this.requestHeaders = Objects.requireNonNull(headers, "requestHeaders must not be null");
      return this;
    }

    /** How lookups see the replacement. Default: {@link ReplaceStrategy#IMMEDIATE}. */
    public Builder strategy(ReplaceStrategy value) {
      this.strategy = Objects.requireNonNull(value, "strategy must not be null");
      return this;
    }

    /** Honour body ranges even while the length is unknown. Default: false. */
    public Builder alwaysUseRequestedRange(boolean value) {
      this.alwaysUseRequestedRange = value;
      return this;
    }

    public ReplaceOptions build() {
      return new ReplaceOptions(requestHeaders, strategy, alwaysUseRequestedRange);
    }
  }
}
