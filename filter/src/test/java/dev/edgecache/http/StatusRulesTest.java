package dev.edgecache.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lifetimes by status and statuses never stored, and how they meet what the response says. */
class StatusRulesTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final StorePolicy.Request GET = new StorePolicy.Request("GET", CacheControl.EMPTY, false, false);
  private static final StorePolicy.Request WITH_AUTH = new StorePolicy.Request("GET", CacheControl.EMPTY, true, false);

  private static StoragePlan plan(StatusRules statuses, StorePolicy.Request request, int status, String... nameValues) {
    List<StoredHead.Field> fields = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      fields.add(new StoredHead.Field(nameValues[i], nameValues[i + 1]));
    }
    fields.add(new StoredHead.Field("date", HttpDates.format(NOW)));
    StoragePlan.Rules rules = new StoragePlan.Rules(false, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO,
        Duration.ofDays(1), null, List.of(), statuses);
    return StoragePlan.of(request, new StoredHead(status, fields), rules, NOW, NOW);
  }

  @Test
  void aStatusLifetimeAppliesOnlyWhereTheResponseSaysNothingAndMayBeStored() {
    StatusRules d = StatusRules.DEFAULT;
    assertEquals(Duration.ofSeconds(10), plan(d, GET, 404).options().maxAge());
    assertEquals(Duration.ofSeconds(10), plan(d, GET, 410).options().maxAge());
    assertEquals(Duration.ofSeconds(300), plan(d, GET, 404, "cache-control", "max-age=300").options().maxAge(),
        "what the origin says wins");
    assertEquals(StorePolicy.Decision.LIFETIME, plan(d, GET, 404, "cache-control", "max-age=0").decision());
    assertEquals(StorePolicy.Decision.LIFETIME, plan(d, GET, 404, "expires", "0").decision());
    assertEquals(StorePolicy.Decision.NO_STORE, plan(d, GET, 404, "cache-control", "no-store").decision());
    assertEquals(StorePolicy.Decision.PRIVATE, plan(d, GET, 404, "cache-control", "private").decision());
    assertEquals(StorePolicy.Decision.AUTHORIZATION, plan(d, WITH_AUTH, 404).decision());
    assertEquals(StorePolicy.Decision.LIFETIME, plan(d, GET, 200).decision(), "200 has no default lifetime");
    assertEquals(StorePolicy.Decision.LIFETIME, plan(StatusRules.NONE, GET, 404).decision());
    StatusRules own = new StatusRules(Map.of(200, 30L, 301, 3600L), Set.of(403, 500));
    assertEquals(Duration.ofSeconds(30), plan(own, GET, 200).options().maxAge());
    assertEquals(Duration.ofSeconds(3600), plan(own, GET, 301).options().maxAge());
    assertEquals(StorePolicy.Decision.STATUS, plan(own, GET, 403, "cache-control", "public, max-age=60").decision());
    assertEquals(StorePolicy.Decision.STATUS, plan(own, GET, 500, "cache-control", "max-age=60").decision());
    assertTrue(plan(own, GET, 404, "cache-control", "max-age=60").stores());
  }

  @Test
  void theRulesAreParsedAndABadOneIsNamed() {
    assertEquals(Map.of(404, 10L, 410, 60L), StatusRules.parseLifetimes(" 404=10, 410 = 60 "));
    assertEquals(Map.of(), StatusRules.parseLifetimes("none"));
    assertEquals(Set.of(403, 500), StatusRules.parseStatuses("403, 500"));
    assertEquals(Set.of(), StatusRules.parseStatuses("none"));
    assertMessage("status-ttl takes STATUS=SECONDS pairs: '404'", () -> StatusRules.parseLifetimes("404"));
    assertMessage("status-ttl has 'x04', which is no status", () -> StatusRules.parseLifetimes("x04=1"));
    assertMessage("status-ttl names 404 twice", () -> StatusRules.parseLifetimes("404=1,404=2"));
    assertMessage("status-ttl for 404 is not a whole number of seconds: 'ten'", () -> StatusRules.parseLifetimes("404=ten"));
    assertMessage("never-store-statuses has '42', which is no status", () -> StatusRules.parseStatuses("42"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StatusRules(Map.of(500, 5L), Set.of()));
    assertTrue(e.getMessage().startsWith("status-ttl names 500, which is not cacheable by default"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new StatusRules(Map.of(206, 5L), Set.of()));
    assertTrue(e.getMessage().startsWith("status-ttl names 206"), e.getMessage());
    assertMessage("status-ttl gives 404 a lifetime, and never-store-statuses refuses it: name it in one of them",
        () -> new StatusRules(Map.of(404, 5L), Set.of(404)));
    assertMessage("status-ttl for 404 must be 0 to 2147483648 seconds: -1", () -> new StatusRules(Map.of(404, -1L), Set.of()));
  }

  private static void assertMessage(String message, org.junit.jupiter.api.function.Executable e) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
  }
}
