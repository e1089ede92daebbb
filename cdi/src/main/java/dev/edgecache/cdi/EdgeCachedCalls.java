package dev.edgecache.cdi;

import dev.edgecache.EdgeCache;
import dev.edgecache.kv.Codec;
import dev.edgecache.kv.KeyValueCache;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The work of {@link EdgeCachedInterceptor}: keys, values with their freshness, collapsing through
 * the key-value face's {@code getOrSet}, and background refreshes for stale-while-revalidate (one
 * at a time per key in this JVM).
 */
@ApplicationScoped
public class EdgeCachedCalls {
  private static final Logger LOG = Logger.getLogger(EdgeCachedCalls.class.getName());
  private static final String NAMESPACE = "edgecached";
  private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{(\\d+)\\}");

  @Inject
  EdgeCache cache;

  @Inject
  Instance<Object> beans;

  private volatile Clock clock = Clock.systemUTC();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  /** Set on a refresh thread while it runs the method: the interceptor then lets the call through. */
  private static final ThreadLocal<Boolean> IN_REFRESH = new ThreadLocal<>();
  private final ExecutorService refresher = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "edgecached-refresh");
    t.setDaemon(true);
    return t;
  });
  private KeyValueCache<Stamped> values;

  /** The clock of freshness; for tests. */
  void clock(Clock value) {
    this.clock = value;
  }

  /** A value and when it stops being fresh. */
  record Stamped(long freshUntilMillis, Serializable value) {}

  /**
   * Runs an {@link EdgeCached} call of {@code method}: {@code body} runs the method itself in this
   * call; {@code refresh} runs it again later, on another thread, for a background refresh.
   */
  Object call(EdgeCached rules, Method method, Object[] args, Callable<Object> body, Callable<Object> refresh)
      throws Exception {
    String key = key(rules, method, args);
    Duration maxAge = Duration.ofSeconds(rules.maxAge());
    Duration ttl = maxAge.plusSeconds(rules.staleWhileRevalidate());
    KeyValueCache<Stamped> kv = values;
    Optional<Stamped> found = kv.get(key);
    if (found.isPresent()) {
      Stamped s = found.get();
      if (clock.millis() >= s.freshUntilMillis() && refreshing.add(key)) {
        refresher.execute(() -> {
          IN_REFRESH.set(Boolean.TRUE);
          try {
            kv.set(key, stamp(refresh.call(), maxAge, method), ttl);
          } catch (Exception e) {
            LOG.log(Level.FINE, "refresh of " + key + " failed; the stale value stays", e);
          } finally {
            IN_REFRESH.remove();
            refreshing.remove(key);
          }
        });
      }
      return s.value();
    }
    return kv.getOrSet(key, ttl, () -> stamp(body.call(), maxAge, method)).value();
  }

  /**
   * Whether this thread is a background refresh calling the method: the container may route that
   * call through the interceptor again (Weld intercepts by subclassing), and it must run the method.
   */
  static boolean inRefresh() {
    return IN_REFRESH.get() != null;
  }

  private Stamped stamp(Object value, Duration maxAge, Method method) {
    if (value != null && !(value instanceof Serializable)) {
      throw new IllegalStateException("@EdgeCached " + method + " returned a " + value.getClass().getName()
          + ", which is not Serializable and cannot be cached");
    }
    return new Stamped(clock.millis() + maxAge.toMillis(), (Serializable) value);
  }

  String key(EdgeCached rules, Method method, Object[] args) {
    if (rules.keyGenerator() != KeyGenerator.class) {
      Instance<? extends KeyGenerator> g = beans.select(rules.keyGenerator());
      KeyGenerator generator = g.isResolvable() ? g.get() : instantiate(rules.keyGenerator());
      return method.getDeclaringClass().getName() + "#" + generator.key(method, args);
    }
    if (!rules.key().isEmpty()) {
      // One pass over the template, so that an argument's own text is never read as a placeholder.
      return PLACEHOLDER.matcher(rules.key()).replaceAll(m -> {
        int i = Integer.parseInt(m.group(1));
        return java.util.regex.Matcher.quoteReplacement(i < args.length ? String.valueOf(args[i]) : m.group());
      });
    }
    return method.getDeclaringClass().getName() + "." + method.getName()
        + Arrays.stream(args).map(EdgeCachedCalls::text).collect(Collectors.joining(",", "(", ")"));
  }

  private static String text(Object arg) {
    // Arrays by their contents, of any element type; length-prefixed, so that ("a,b") and
    // ("a", "b") never share a key.
    String s = arg != null && arg.getClass().isArray() ? Arrays.deepToString(new Object[] {arg}) : String.valueOf(arg);
    return s.length() + ":" + s;
  }

  private static KeyGenerator instantiate(Class<? extends KeyGenerator> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the key generator " + type.getName()
          + ": not a bean, and no public no-argument constructor", e);
    }
  }

  @PostConstruct
  void start() {
    Codec<Serializable> java = new SerializableCodec<>(Serializable.class);
    values = cache.keyValue(NAMESPACE, new Codec<>() {
      @Override
      public byte[] encode(Stamped s) {
        byte[] body = s.value() == null ? new byte[0] : java.encode(s.value());
        return ByteBuffer.allocate(9 + body.length).putLong(s.freshUntilMillis())
            .put((byte) (s.value() == null ? 0 : 1)).put(body).array();
      }

      @Override
      public Stamped decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long until = b.getLong();
        boolean present = b.get() == 1;
        return new Stamped(until, present ? java.decode(Arrays.copyOfRange(bytes, 9, bytes.length)) : null);
      }
    });
  }

  @PreDestroy
  void stop() {
    refresher.shutdownNow();
  }
}
