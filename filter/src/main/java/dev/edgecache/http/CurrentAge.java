package dev.edgecache.http;

import java.util.List;
import java.util.OptionalLong;

/**
 * The age of a response when it arrives, as RFC 9111 §4.2.3 computes it. The cache stores this
 * "corrected initial age" with the object; the time the object then spends in the cache (the
 * resident time) is added at each lookup, which gives the current age. Pure.
 */
public final class CurrentAge {
  private CurrentAge() {}

  /**
   * {@code corrected_initial_age = max(apparent_age, corrected_age_value)}, where
   * {@code apparent_age = max(0, response_time - date_value)} and
   * {@code corrected_age_value = age_value + (response_time - request_time)}.
   *
   * @param age the {@code Age} field lines: the first valid delta-seconds counts; a negative,
   *     non-numeric or absent value counts as 0, and a huge one is clamped to 2^31 s
   * @param date the {@code Date} field lines; absent or invalid means no apparent age
   * @param requestTimeMillis when the request was sent to the origin
   * @param responseTimeMillis when the response was received
   * @return the corrected initial age in milliseconds, never negative
   */
  public static long correctedInitialAgeMillis(List<String> age, List<String> date,
      long requestTimeMillis, long responseTimeMillis) {
    long ageValue = ageSeconds(age).orElse(0) * 1000;
    long apparentAge = HttpDates.parseSingle(date, responseTimeMillis)
        .stream().map(d -> Math.max(0, responseTimeMillis - d)).findFirst().orElse(0);
    long responseDelay = Math.max(0, responseTimeMillis - requestTimeMillis);
    long correctedAgeValue = ageValue + responseDelay;
    return Math.max(apparentAge, correctedAgeValue);
  }

  /**
   * The first valid {@code Age} value in seconds, clamped to 2^31. {@code Age} is a single
   * delta-seconds (RFC 9111 §5.1), but an intermediary that joined repeated lines sends
   * {@code 7200, 0}: each comma-separated member counts as a line of its own, in order, so the
   * value is the same whether the repeats arrive joined or on separate lines.
   */
  public static OptionalLong ageSeconds(List<String> age) {
    for (String line : age) {
      if (line == null) {
        continue;
      }
      for (String member : line.split(",", -1)) {
        OptionalLong v = CacheControl.deltaSeconds(member.trim(), false);
        if (v.isPresent()) {
          return v;
        }
      }
    }
    return OptionalLong.empty();
  }
}
