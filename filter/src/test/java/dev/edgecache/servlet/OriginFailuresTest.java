package dev.edgecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgecache.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Origin failures are counted by kind and logged: the first at once, then one line per interval. */
class OriginFailuresTest {
  private final MutableClock clock = new MutableClock();
  private final FilterStats stats = new FilterStats();
  private final OriginFailures failures = new OriginFailures(stats, clock);
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    OriginFailures.LOG.addHandler(handler);
  }

  @AfterEach
  void stopListening() {
    OriginFailures.LOG.removeHandler(handler);
  }

  @Test
  void theFirstFailureIsLoggedAtOnceAndTheRestCountedIntoOneLinePerInterval() {
    failures.failed(OriginFailure.CONNECT, "origin http://o: ConnectException");
    assertEquals(1, logged.size());
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    assertEquals("origin failed (connect): origin http://o: ConnectException", logged.get(0).getMessage());
    for (int i = 0; i < 99; i++) {
      clock.advance(Duration.ofMillis(50));
      failures.failed(i % 2 == 0 ? OriginFailure.CONNECT : OriginFailure.TIMEOUT, "again");
    }
    assertEquals(1, logged.size(), "nothing more within the interval");
    clock.advance(Duration.ofSeconds(10));
    failures.failed(OriginFailure.RESET, "reset by peer");
    assertEquals(2, logged.size());
    assertTrue(logged.get(1).getMessage().startsWith("origin failed (reset): reset by peer; 99 more origin failures since "),
        logged.get(1).getMessage());
    assertEquals(51L, stats.originErrors().get("connect"));
    assertEquals(49L, stats.originErrors().get("timeout"));
    assertEquals(1L, stats.originErrors().get("reset"));
    assertEquals(0L, stats.originErrors().get("protocol"));
    assertEquals(OriginFailure.RESET, stats.lastOriginFailure().kind());
    assertEquals(clock.millis(), stats.lastOriginFailure().atMillis());
  }
}
