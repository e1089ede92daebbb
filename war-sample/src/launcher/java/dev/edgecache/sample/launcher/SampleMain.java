package dev.edgecache.sample.launcher;

import dev.edgecache.EdgeCache;
import dev.edgecache.sample.StorageChoice;
import dev.edgecache.servlet.EdgeCacheFilter;
import dev.edgecache.servlet.FilterSettings;
import dev.edgecache.spi.StorageException;
import jakarta.servlet.DispatcherType;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.DecoratingListener;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the edge: the sample WAR on embedded Jetty 12, or, with {@code --origin}, the edge cache
 * filter in front of any HTTP origin. Stops cleanly on SIGTERM.
 */
public final class SampleMain {
  private static final String USAGE = """
      usage: java -jar edgecache-sample.jar [--port 8080] [--bind 127.0.0.1]
             [--origin http://HOST:PORT] [--store memory|ehcache] [--ehcache-config FILE]
             [--cluster terracotta://HOST:PORT/ENTITY] [--admin-token-file FILE]
             [--max-object-mb MIB] [--cluster-mb MB] [--offheap-mb MB] [--disk-mb MB] [--disk-dir DIR]
             [--heap-entries N] [--connect-timeout SECONDS] [--idle-timeout SECONDS]
             [--request-head-timeout SECONDS] [--h2c] [--tls-port PORT --key-store FILE]
             [--param NAME=VALUE]... [--access-log] [--debug] [--version]
      --port speaks HTTP/1.1, and cleartext HTTP/2 too with --h2c; --tls-port speaks TLS, HTTP/2 or
      HTTP/1.1 by ALPN, with the key and certificate of --key-store (PKCS#12), whose password
      is the first line of --key-store-password-file or EDGECACHE_KEY_STORE_PASSWORD.
      --admin-token-file names a file whose first line is the admin token (or set
      EDGECACHE_ADMIN_TOKEN); --admin-token TOKEN works too, but shows it to every local user.
      --param sets one of the filter's init-params (ignore-cookies, error-max-age,
      override-fields, key-cookies, lock-timeout-ms, ...), as in web.xml.
      --disk-dir keeps the memory store's large bodies in files there (--disk-mb of them).
      --request-head-timeout closes a connection whose request head takes longer (30 s).
      --access-log prints a line per request on standard output.""";

  /** The largest request head the edge reads (Jetty's default); larger ones get 431. */
  static final int MAX_REQUEST_HEAD_BYTES = 8 * 1024;

  private SampleMain() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("edgecache-sample: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (o.help) {
      System.out.println(USAGE);
      return;
    }
    if (o.version) {
      System.out.println("edgecache " + dev.edgecache.EdgeCacheVersion.get());
      return;
    }
    EdgeLogging.install(o.debug);
    Server server;
    try {
      server = start(o);
    } catch (Exception e) {
      // a bad option found late (the WAR reads its store options when CDI starts) or a store
      // that cannot start: one line that says what, the whole trace only with --debug
      Throwable reason = reason(e);
      System.err.println("edgecache-sample: cannot start: " + (inUse(e)
          ? "port " + o.port + " on " + o.bind + " is in use: stop what listens there, or give another --port"
          : reason.getMessage()));
      if (o.debug) {
        e.printStackTrace();
      }
      System.exit(reason instanceof IllegalArgumentException ? 2 : 1);
      return;
    }
    EdgeLogging.started(o.debug);
    System.out.println("edge cache listening on " + server.getURI().toString().replaceAll("/$", "")
        + (o.origin == null ? " (sample application" : " (in front of " + o.origin)
        + ", edgecache " + dev.edgecache.EdgeCacheVersion.get() + ")");
    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector s && s.getDefaultConnectionFactory() instanceof org.eclipse.jetty.server.SslConnectionFactory) {
        System.out.println("edge cache listening on https://" + o.bind + ":" + s.getLocalPort() + " (TLS: h2, http/1.1)");
      }
    }
    server.join();
  }

  /** Whether the listening port was taken. */
  private static boolean inUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  /** The first exception in the chain that says what is wrong in the edge's own words. */
  private static Throwable reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof StorageException) {
        return t;
      }
    }
    return e;
  }

  /** Starts the server for these options; the caller joins or stops it. */
  public static Server start(Options o) throws Exception {
    Server server = new Server();
    HttpConfiguration http = Connectors.configuration();
    // Jetty's per-connection field cache matches values without case by default: on a reused
    // connection one request's Cookie or Authorization could be read in an earlier one's case.
    http.setHeaderCacheCaseSensitive(true);
    // Fields larger than this get 431 from the edge itself and never reach the origin.
    http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
    // Room for the largest origin head the proxy passes on, and the edge's own fields after it:
    // a head the edge could not write would end in the container's 500.
    http.setResponseHeaderSize(OriginProxyServlet.MAX_ORIGIN_HEAD_BYTES + 8 * 1024);
    if (o.origin != null) {
      // the origin's own Date and Server fields pass; the edge adds none of its own
      http.setSendDateHeader(false);
      http.setSendServerVersion(false);
    }
    server.addConnector(listening(Connectors.cleartext(server, http, o.h2c), o.bind, o.port, o));
    if (o.tlsPort >= 0) {
      server.addConnector(listening(Connectors.tls(server, http, new File(o.keyStore), o.keyStorePassword),
          o.bind, o.tlsPort, o));
    }
    if (o.origin != null) {
      // error pages say the status only: exception messages can name the origin or Jetty's internals
      server.setErrorHandler(new FixedTextErrors());
    }
    EdgeMetrics.install();
    RequestLog clientSide = EdgeMetrics.clientSide();
    server.setRequestLog(o.accessLog ? new RequestLog.Collection(AccessLog.toStandardOutput(), clientSide) : clientSide);
    server.setStopAtShutdown(true); // SIGTERM: stop taking requests, finish, close the caches
    server.setStopTimeout(10_000);
    server.setHandler(o.origin == null ? sampleApplication(o) : edgeInFrontOf(o));
    server.start();
    EdgeMetrics.bindJetty(server);
    return server;
  }

  /** {@code connector} on {@code bind:port}, with the edge's limits on accepting and on request heads. */
  private static ServerConnector listening(ServerConnector connector, String bind, int port, Options o) {
    connector.setHost(bind);
    connector.setPort(port);
    // The kernel's queue of connections not yet accepted: Java's default of 50 drops the SYNs
    // of a burst of new clients, which then wait a second or more to retry (a thousand clients
    // took 4 to 8 s to connect); Varnish and nginx listen with a queue of 1,024 and 511.
    connector.setAcceptQueueSize(1024);
    // a head dribbled a byte at a time would reset the idle timeout for ever (slowloris)
    connector.addBean(new RequestHeadDeadline(o.requestHeadTimeout, connector.getScheduler(), System::nanoTime));
    return connector;
  }

  /** The sample WAR, with Weld injecting what Jetty makes, configured by context parameters. */
  private static WebAppContext sampleApplication(Options o) throws IOException {
    WebAppContext app = new WebAppContext();
    app.setContextPath("/");
    app.setWar(warFile().getAbsolutePath());
    app.setAttribute("org.eclipse.jetty.cdi", "CdiDecoratingListener");
    app.addEventListener(new DecoratingListener(app, "org.eclipse.jetty.cdi.decorator"));
    app.setInitParameter("edgecache.store", o.store == null ? "" : o.store);
    app.setInitParameter("edgecache.ehcache-config", o.ehcacheConfig == null ? "" : o.ehcacheConfig);
    app.setInitParameter("edgecache.cluster", o.cluster == null ? "" : o.cluster);
    app.setInitParameter("edgecache.max-object-mb", Long.toString(o.maxObjectMb));
    app.setInitParameter("edgecache.cluster-mb", o.clusterMb < 0 ? "" : Long.toString(o.clusterMb));
    app.setInitParameter("edgecache.offheap-mb", o.offheapMb < 0 ? "" : Long.toString(o.offheapMb));
    app.setInitParameter("edgecache.disk-mb", o.diskMb < 0 ? "" : Long.toString(o.diskMb));
    app.setInitParameter("edgecache.disk-dir", o.diskDir == null ? "" : o.diskDir);
    app.setInitParameter("edgecache.heap-entries", o.heapEntries < 0 ? "" : Long.toString(o.heapEntries));
    app.setInitParameter("edgecache.admin-token", o.adminToken == null ? "" : o.adminToken);
    o.params.forEach((name, value) -> app.setInitParameter(dev.edgecache.servlet.ConfigNames.PREFIX + name, value));
    app.setThrowUnavailableOnStartupException(true); // a bad option fails the start, loudly
    return app;
  }

  /** The WAR inside this jar, copied out for Jetty; or a WAR named by the system property. */
  private static File warFile() throws IOException {
    String given = System.getProperty("edgecache.war");
    if (given != null) {
      return new File(given);
    }
    try (InputStream in = SampleMain.class.getResourceAsStream("/edgecache-sample.war")) {
      if (in == null) {
        throw new IOException("edgecache-sample.war is not in this jar; build it with mvn package");
      }
      File war = File.createTempFile("edgecache-sample", ".war");
      war.deleteOnExit();
      Files.copy(in, war.toPath(), StandardCopyOption.REPLACE_EXISTING);
      return war;
    }
  }

  /** The filter on every path, then the proxy to the origin. */
  private static ServletContextHandler edgeInFrontOf(Options o) {
    URL xml = o.ehcacheConfig == null ? null : StorageChoice.file(o.ehcacheConfig);
    Map<String, String> params = new HashMap<>(o.params);
    // An origin this edge knows nothing of is cached as a shared cache in front of it would be:
    // a response with Last-Modified and no explicit freshness is fresh for a tenth of its age
    // (RFC 9111 §4.2.2, as browsers and Squid do). The filter keeps heuristics off: an
    // application's own servlets say what they mean, and one that does not gets no surprise.
    params.putIfAbsent("heuristic-fraction", "0.1");
    if (o.adminToken != null) {
      params.put("admin-token", o.adminToken);
    }
    FilterSettings settings = FilterSettings.fromInitParams(params::get);
    String pseudonym = "edgecache-" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16);
    dev.edgecache.spi.CacheStorage storage = StorageChoice.build(o.store, xml, o.cluster, o.maxObjectMb,
        new StorageChoice.Sizes(o.clusterMb, o.offheapMb, o.diskMb, o.heapEntries),
        params.containsKey("capacity-bytes") ? settings.capacityBytes() : 0,
        o.diskDir == null ? null : java.nio.file.Path.of(o.diskDir));
    EdgeCache cache = settings.cacheBuilder().storage(storage, true).build();
    ServletContextHandler context = new ServletContextHandler("/");
    context.setErrorHandler(new FixedTextErrors());
    context.addFilter(new FilterHolder(new LoopGuard(pseudonym)), "/*", EnumSet.of(DispatcherType.REQUEST));
    EdgeCacheFilter edge = new EdgeCacheFilter(cache, settings);
    FilterHolder filter = new FilterHolder(edge);
    filter.setAsyncSupported(true);
    // ASYNC too: a request that waited without a thread comes back through the filter to fill
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ServletHolder proxy = new ServletHolder(new OriginProxyServlet(o.origin, "1.1 " + pseudonym, o.connectTimeout, o.idleTimeout));
    proxy.setAsyncSupported(true); // so that waiting requests hold no thread
    context.addServlet(proxy, "/*");
    context.addEventListener(new jakarta.servlet.ServletContextListener() {
      @Override
      public void contextDestroyed(jakarta.servlet.ServletContextEvent e) {
        cache.close();
      }
    });
    return context;
  }

  /** The command line. */
  public static final class Options {
    int port = 8080;
    String bind = "127.0.0.1";
    URI origin;
    String store;
    String ehcacheConfig;
    String cluster;
    String adminToken;
    String adminTokenFile;
    boolean version;
    long maxObjectMb; // 0: the store's default
    long clusterMb = -1; // -1: the store's default, as for the sizes below
    long offheapMb = -1;
    long diskMb = -1;
    long heapEntries = -1;
    String diskDir; // null: no body files
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration idleTimeout = Duration.ofSeconds(30);
    Duration requestHeadTimeout = Duration.ofSeconds(30);
    boolean h2c;
    int tlsPort = -1; // -1: no TLS
    String keyStore;
    String keyStorePasswordFile;
    String keyStorePassword;
    boolean debug;
    boolean accessLog;
    boolean help;
    /** The filter's init-params given with {@code --param}. */
    final Map<String, String> params = new HashMap<>();

    /** @throws IllegalArgumentException with what is wrong */
    public static Options parse(String... args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--debug" -> o.debug = true;
          case "--access-log" -> o.accessLog = true;
          case "--h2c" -> o.h2c = true;
          case "--help", "-h" -> o.help = true;
          case "--version" -> o.version = true;
          case "--port", "--bind", "--origin", "--store", "--ehcache-config", "--cluster", "--admin-token",
              "--admin-token-file",
              "--max-object-mb", "--cluster-mb", "--offheap-mb", "--disk-mb", "--disk-dir", "--heap-entries",
              "--connect-timeout", "--idle-timeout", "--request-head-timeout", "--param", "--tls-port",
              "--key-store", "--key-store-password-file" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(a + " needs a value");
            }
            o.set(a, args[++i]);
          }
          default -> throw new IllegalArgumentException("unknown option " + a + didYouMean(a));
        }
      }
      // the token from a file or the environment, so that ps need not show it
      o.adminToken = dev.edgecache.servlet.AdminTokens.resolve(o.adminToken, o.adminTokenFile,
          System::getProperty, System::getenv);
      o.tls(System.getenv("EDGECACHE_KEY_STORE_PASSWORD"));
      return o;
    }

    /** Checks the TLS options together, and reads the key store's password. */
    private void tls(String passwordFromEnvironment) {
      if ((tlsPort >= 0) != (keyStore != null)) {
        throw new IllegalArgumentException("--tls-port and --key-store go together: give both, or neither");
      }
      if (tlsPort < 0) {
        return;
      }
      if (keyStorePasswordFile != null) {
        try {
          List<String> lines = Files.readAllLines(new File(keyStorePasswordFile).toPath());
          keyStorePassword = lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
          throw new IllegalArgumentException("--key-store-password-file " + keyStorePasswordFile
              + " cannot be read: " + e.getMessage());
        }
      } else if (passwordFromEnvironment != null) {
        keyStorePassword = passwordFromEnvironment;
      } else {
        throw new IllegalArgumentException("--key-store needs its password: give --key-store-password-file FILE,"
            + " or set EDGECACHE_KEY_STORE_PASSWORD");
      }
    }

    /** Every option, for "did you mean". */
    private static final List<String> OPTIONS = List.of("--port", "--bind", "--origin", "--store",
        "--ehcache-config", "--cluster", "--admin-token", "--admin-token-file", "--max-object-mb", "--cluster-mb",
        "--offheap-mb", "--disk-mb", "--disk-dir", "--heap-entries", "--connect-timeout", "--idle-timeout",
        "--request-head-timeout", "--param", "--h2c", "--tls-port", "--key-store", "--key-store-password-file",
        "--access-log", "--debug", "--help", "--version");

    /** The known option nearest {@code given}, as a hint; empty if none is near. */
    static String didYouMean(String given) {
      String near = dev.edgecache.servlet.ConfigNames.nearest(
          given.startsWith("--") ? given : "--" + given.replaceFirst("^-+", ""), OPTIONS);
      return near == null ? "" : " (did you mean " + near + "?)";
    }

    private void set(String option, String value) {
      switch (option) {
        case "--port" -> port = number(option, value, 0, 65535);
        case "--bind" -> bind = value;
        case "--origin" -> origin = origin(value);
        case "--store" -> store = value;
        case "--ehcache-config" -> ehcacheConfig = value;
        case "--cluster" -> cluster = value;
        case "--admin-token" -> adminToken = value;
        case "--admin-token-file" -> adminTokenFile = value;
        case "--max-object-mb" -> maxObjectMb = number(option, value, 1, 1 << 20);
        case "--cluster-mb" -> clusterMb = number(option, value, 1, 1 << 20);
        case "--offheap-mb" -> offheapMb = number(option, value, 0, 1 << 20);
        case "--disk-mb" -> diskMb = number(option, value, 1, 1 << 24);
        case "--disk-dir" -> diskDir = value;
        case "--heap-entries" -> heapEntries = number(option, value, 1, 1 << 30);
        case "--connect-timeout" -> connectTimeout = Duration.ofSeconds(number(option, value, 1, 3600));
        case "--idle-timeout" -> idleTimeout = Duration.ofSeconds(number(option, value, 1, 3600));
        case "--request-head-timeout" -> requestHeadTimeout = Duration.ofSeconds(number(option, value, 1, 3600));
        case "--tls-port" -> tlsPort = number(option, value, 0, 65535);
        case "--key-store" -> keyStore = value;
        case "--key-store-password-file" -> keyStorePasswordFile = value;
        case "--param" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--param must be NAME=VALUE: " + value);
          }
          if (!FilterSettings.INIT_PARAMS.contains(value.substring(0, eq).trim())) {
            String near = dev.edgecache.servlet.ConfigNames.nearest(value.substring(0, eq).trim(), FilterSettings.INIT_PARAMS);
            throw new IllegalArgumentException("--param names no init-param of the filter: " + value
                + (near == null ? "" : " (did you mean " + near + "?)")
                + " (known: " + new java.util.TreeSet<>(FilterSettings.INIT_PARAMS) + ")");
          }
          params.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
        }
        default -> throw new IllegalArgumentException(option);
      }
    }

    private static int number(String option, String value, int min, int max) {
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new IllegalArgumentException(option + " must be a number from " + min + " to " + max + ": " + value);
    }

    private static URI origin(String value) {
      URI u;
      try {
        u = URI.create(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--origin is not a URL: " + value);
      }
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
          || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
          || u.getRawQuery() != null) {
        throw new IllegalArgumentException("--origin must be http://HOST:PORT or https://HOST:PORT: " + value);
      }
      return u;
    }
  }
}
