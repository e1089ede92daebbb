package dev.edgecache.sample.launcher;

import dev.edgecache.http.TargetForm;
import dev.edgecache.servlet.EdgeCacheFilter;
import dev.edgecache.servlet.OriginFailure;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A reverse proxy to one origin, for the edge's filter to sit in front of. It is blocking on
 * purpose: the whole exchange with the origin happens inside {@code service}, so the filter sees
 * an origin failure before anything is committed and can serve a stale object instead
 * (stale-if-error), and the response body streams through the filter's tee as it arrives.
 *
 * <p>What passes (RFC 9110 §7.6): every method with its body, every status code, every field
 * (repeated ones kept, {@code Location} untouched) except the hop-by-hop ones and those the
 * {@code Connection} field names. Added: {@code Via}, and {@code X-Forwarded-For},
 * {@code -Proto} and {@code -Host} from what this edge saw; a client's own values of those, and
 * of {@code Forwarded}, are dropped, never passed on. An origin that cannot be reached gives 502;
 * one that does not answer in time gives 504; either marks the request
 * {@link EdgeCacheFilter#ORIGIN_UNREACHABLE}, so that the filter may serve a stale object instead.
 */
final class OriginProxyServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** RFC 9110 §7.6.1 and the fields that only make sense between neighbours. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");
  /** Set by the edge from what it saw; a client's values are never trusted. */
  private static final Set<String> FORWARDING = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
      "x-forwarded-host", "x-forwarded-port", "x-forwarded-server");
  private final URI origin;
  /** The origin's URI without the slashes it may end in, to put each request's path after. */
  private final String originBase;
  private final String via;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  /** Bytes per read of the origin's body, and per write of it to the client. */
  private static final int COPY_BUFFER_BYTES = 64 * 1024;
  /**
   * The largest head of an origin's response that the edge passes on (its fields as they would
   * be written); a larger one is answered 502, as nginx answers an upstream's head larger than its
   * buffer. The edge's own limit for the heads it writes leaves room above this for its fields.
   */
  static final int MAX_ORIGIN_HEAD_BYTES = 16 * 1024;

  private transient HttpClient client;
  private static final int PROCESSING = 102;
  private static final int EARLY_HINTS = 103;
  /** The origin request's attribute that holds the client's response, for interim responses. */
  private static final String CLIENT_RESPONSE = OriginProxyServlet.class.getName() + ".clientResponse";

  /**
   * @param via this edge's entry in {@code Via} ({@code 1.1 <pseudonym>}), unique to it so that
   *     {@link LoopGuard} recognises a request it forwarded itself
   */
  OriginProxyServlet(URI origin, String via, Duration connectTimeout, Duration idleTimeout) {
    this.origin = origin;
    this.originBase = origin.toString().replaceAll("/+$", "");
    this.via = via;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void init() throws ServletException {
    HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
    // Jetty's per-connection field cache matches values without case by default: on a reused
    // connection a response's value could come back in the case of an earlier response's.
    transport.setHeaderCacheCaseSensitive(true);
    client = new HttpClient(transport);
    client.setFollowRedirects(false); // a redirect is the client's to follow
    client.setUserAgentField(null); // the client's own User-Agent passes
    client.setHttpCookieStore(new HttpCookieStore.Empty()); // cookies pass, never kept here
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setIdleTimeout(idleTimeout.toMillis());
    client.setMaxConnectionsPerDestination(1024);
    // Reads of the origin in 64 KiB, not Jetty's 16 KiB: a large body in a quarter of the reads
    // and of the writes to the store (a 2 GiB miss went from 158 to 259 MB/s)
    client.setResponseBufferSize(COPY_BUFFER_BYTES);
    try {
      client.start();
    } catch (Exception e) {
      throw new ServletException("the proxy's HTTP client did not start", e);
    }
    // Bodies pass encoded as the origin sent them, and the origin sees the client's own
    // Accept-Encoding only. The client adds its decoders again when it starts: cleared after.
    client.getContentDecoderFactories().clear();
    // A 401 or 407 is the client's to answer: the client's authentication handlers would take
    // it for a challenge to themselves, and fail one that has no WWW-Authenticate.
    client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
    // Interim responses pass to the client as they come (RFC 9110 §15.2); the final response
    // is the one the filter judges and may store, never the interim ones (RFC 9111 §3).
    // Replaced after start, which puts the default handlers back.
    client.getProtocolHandlers().put(new ProcessingProtocolHandler() {
      @Override
      protected void onProcessing(Request request, HttpFields fields) {
        relayInterim(request, PROCESSING, fields);
      }
    });
    client.getProtocolHandlers().put(new EarlyHintsProtocolHandler() {
      @Override
      protected void onEarlyHints(Request request, HttpFields fields) {
        relayInterim(request, EARLY_HINTS, fields);
      }
    });
  }

  @Override
  public void destroy() {
    try {
      client.stop();
    } catch (Exception e) {
      log("stopping the proxy's HTTP client", e);
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    long maxForwards = maxForwards(req);
    if (maxForwards == 0) {
      answerAsFinalRecipient(req, res);
      return;
    }
    // The origin is sent a valid URI, and for a request the cache may use the canonical query
    // that its key was made of; what no URI may hold passes uncached (TargetForm, RequestPolicy).
    String query = req.getQueryString();
    if (query != null && unreadable(query)) {
      // Bytes that were not UTF-8 (the container put U+FFFD for them) or control characters:
      // there is no URI that says what the client sent, so there is none to forward.
      res.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      res.setHeader("Cache-Control", "no-store");
      res.setContentType("text/plain;charset=utf-8");
      res.getWriter().print("400 Bad Request\n");
      return;
    }
    String canonical = TargetForm.canonicalQuery(query);
    String target = originBase + TargetForm.forwardable(req.getRequestURI(), false)
        + (query == null ? "" : "?" + (canonical != null ? canonical : TargetForm.forwardable(query, true)));
    Request out = client.newRequest(URI.create(target)).method(req.getMethod())
        .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .attribute(CLIENT_RESPONSE, res);
    Set<String> named = connectionNamed(Collections.list(req.getHeaders("Connection")));
    out.headers(h -> {
      for (String name : Collections.list(req.getHeaderNames())) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (HOP_BY_HOP.contains(lower) || named.contains(lower) || FORWARDING.contains(lower)
            || lower.equals("host") || lower.equals("via")) {
          continue;
        }
        for (String value : Collections.list(req.getHeaders(name))) {
          h.add(name, value);
        }
      }
      String before = req.getHeader("Via");
      h.put(HttpHeader.VIA, before == null ? via : before + ", " + via);
      if (maxForwards > 0) {
        h.put(HttpHeader.MAX_FORWARDS, Long.toString(maxForwards - 1));
      }
      h.put("X-Forwarded-For", req.getRemoteAddr());
      h.put("X-Forwarded-Proto", req.getScheme());
      if (req.getHeader("Host") != null) {
        h.put("X-Forwarded-Host", req.getHeader("Host"));
      }
    });
    if (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null) {
      out.body(new InputStreamRequestContent(req.getInputStream()));
    }
    InputStreamResponseListener answer = new InputStreamResponseListener();
    out.send(answer);
    Response response;
    try {
      response = answer.get(connectTimeout.plus(idleTimeout).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      out.abort(e);
      fail(req, res, OriginFailure.TIMEOUT, "the origin did not answer in time");
      return;
    } catch (ExecutionException e) {
      OriginFailure kind = kind(e.getCause());
      fail(req, res, kind, kind == OriginFailure.TIMEOUT ? "the origin did not answer in time"
          : "the origin cannot be reached: " + reason(e.getCause()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.abort(e);
      fail(req, res, OriginFailure.RESET, "interrupted");
      return;
    }
    if (headBytes(response) > MAX_ORIGIN_HEAD_BYTES) {
      // the edge could not write it whole: a clean 502, never stored, rather than the
      // container's own error once the head is refused
      response.abort(new IOException("head too large"));
      EdgeCacheFilter.originFailed(req, OriginFailure.PROTOCOL, "origin " + origin + ": a response head over "
          + MAX_ORIGIN_HEAD_BYTES + " bytes");
      req.removeAttribute(EdgeCacheFilter.ORIGIN_UNREACHABLE); // it answered: nothing stale is served for it
      answer(res, HttpServletResponse.SC_BAD_GATEWAY);
      return;
    }
    res.setStatus(response.getStatus());
    Set<String> namedBack = connectionNamed(response.getHeaders().getValuesList(HttpHeader.CONNECTION));
    for (HttpField field : response.getHeaders()) {
      String lower = field.getLowerCaseName();
      if (!HOP_BY_HOP.contains(lower) && !namedBack.contains(lower) && !lower.equals("via")
          && !lower.equals("content-length")) {
        res.addHeader(field.getName(), field.getValue());
      }
    }
    String before = response.getHeaders().get(HttpHeader.VIA);
    res.setHeader("Via", before == null ? via : before + ", " + via);
    long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (length >= 0) {
      res.setContentLengthLong(length);
    }
    try (InputStream in = answer.getInputStream()) {
      OutputStream body = res.getOutputStream();
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      int n;
      while ((n = readFromOrigin(req, in, buffer)) >= 0) {
        body.write(buffer, 0, n);
        if (in.available() == 0) {
          body.flush(); // stream what has come so far: a slow origin's first bytes reach the client
        }
      }
    }
    // an origin that dies midway throws from read(): the filter stores nothing and the client
    // sees its response end short, as it would from the origin itself
  }

  /** Reads the origin's body; a failure there is the origin's, counted as such, and thrown on. */
  private int readFromOrigin(HttpServletRequest req, InputStream in, byte[] buffer) throws IOException {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      EdgeCacheFilter.originFailed(req, OriginFailure.RESET, "origin " + origin + ": the body ended early: " + e);
      throw e;
    }
  }

  /** How the origin failed, by what the client saw. */
  private static OriginFailure kind(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
        return OriginFailure.TIMEOUT;
      }
      if (c instanceof ConnectException || c instanceof UnresolvedAddressException
          || c instanceof java.net.UnknownHostException || c instanceof java.net.NoRouteToHostException) {
        return OriginFailure.CONNECT;
      }
      if (c instanceof org.eclipse.jetty.http.BadMessageException
          || c instanceof org.eclipse.jetty.client.HttpResponseException) {
        return OriginFailure.PROTOCOL;
      }
    }
    return OriginFailure.RESET;
  }

  /** Whether a query holds what no URI can carry: a control character, or a byte not UTF-8. */
  private static boolean unreadable(String query) {
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c < ' ' || c == 0x7f || c == '\ufffd') {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code Max-Forwards} of a TRACE or OPTIONS (RFC 9110 §7.6.2), or -1: for other methods,
   * when absent, or when not a number, as if absent.
   */
  private static long maxForwards(HttpServletRequest req) {
    String m = req.getMethod();
    String v = req.getHeader("Max-Forwards");
    if (v == null || !(m.equals("TRACE") || m.equals("OPTIONS")) || !v.trim().matches("[0-9]{1,18}")) {
      return -1;
    }
    return Long.parseLong(v.trim());
  }

  /**
   * A TRACE or OPTIONS with {@code Max-Forwards: 0} is this edge's to answer (RFC 9110 §7.6.2).
   * OPTIONS gets the methods the edge passes on. TRACE is declined rather than reflected: a
   * reflection would hand a script the cookies and credentials that the request carried (cross-
   * site tracing), and the RFC asks reflection only as a SHOULD.
   */
  private static void answerAsFinalRecipient(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("Allow", "GET, HEAD, QUERY, POST, PUT, DELETE, PATCH, OPTIONS");
    res.setHeader("Cache-Control", "no-store");
    if (req.getMethod().equals("OPTIONS")) {
      res.setStatus(HttpServletResponse.SC_OK);
      res.setContentLength(0);
    } else {
      res.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      res.setContentType("text/plain;charset=utf-8");
      res.getWriter().print("405 Method Not Allowed\n");
    }
  }

  /**
   * Sends an interim response of the origin's to the client, with its fields less the hop-by-hop
   * ones. It runs on the HTTP client's thread while {@code service} waits for the final response;
   * the fields are set for the interim response only and removed again, so none of them reaches
   * the final response or the stored object. Jetty writes an interim response for
   * {@code sendError(102)} and {@code sendError(103)}; the filter passes such calls through.
   */
  private void relayInterim(Request request, int status, HttpFields fields) {
    if (!(request.getAttributes().get(CLIENT_RESPONSE) instanceof HttpServletResponse res)) {
      return;
    }
    // The final response's fields come only after this returns: the parser of the origin's
    // connection delivers them in order, and service() waits for them.
    if (res.isCommitted()) {
      return;
    }
    Set<String> named = connectionNamed(fields.getValuesList(HttpHeader.CONNECTION));
    Set<String> added = new HashSet<>();
    try {
      for (HttpField field : fields) {
        String lower = field.getLowerCaseName();
        if (!HOP_BY_HOP.contains(lower) && !named.contains(lower) && !lower.equals("content-length")) {
          res.addHeader(field.getName(), field.getValue());
          added.add(field.getName());
        }
      }
      res.sendError(status);
    } catch (IOException | RuntimeException e) {
      log("an interim " + status + " could not be passed on: " + e);
    } finally {
      for (String name : added) {
        res.setHeader(name, null);
      }
    }
  }

  private static Set<String> connectionNamed(Iterable<String> connection) {
    Set<String> names = new HashSet<>();
    for (String value : connection) {
      for (String token : value.split(",")) {
        names.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static String reason(Throwable t) {
    if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
      return t.getClass().getSimpleName();
    }
    return String.valueOf(t);
  }

  /**
   * Answers a failed exchange with the status and its fixed text only: the origin's address and
   * the proxy's internals go to the log, never to the client.
   */
  private void fail(HttpServletRequest req, HttpServletResponse res, OriginFailure kind, String why) throws IOException {
    // no answer at all: the filter counts and logs it, and may serve what it has stale
    // (RFC 9111 §4.2.4, disconnected)
    EdgeCacheFilter.originFailed(req, kind, "origin " + origin + ": " + why);
    answer(res, kind == OriginFailure.TIMEOUT ? HttpServletResponse.SC_GATEWAY_TIMEOUT : HttpServletResponse.SC_BAD_GATEWAY);
  }

  /** The bytes of a response head as its status line and fields would be written. */
  private static long headBytes(Response response) {
    long n = 16;
    for (HttpField field : response.getHeaders()) {
      n += field.getName().length() + (field.getValue() == null ? 0 : field.getValue().length()) + 4;
    }
    return n;
  }

  /** A 502 or 504 with its fixed text, never stored. */
  private static void answer(HttpServletResponse res, int status) throws IOException {
    if (!res.isCommitted()) {
      res.reset();
      res.setStatus(status);
      res.setHeader("Cache-Control", "no-store");
      res.setContentType("text/plain;charset=utf-8");
      res.getWriter().print(status == HttpServletResponse.SC_GATEWAY_TIMEOUT
          ? "504 Gateway Timeout\n" : "502 Bad Gateway\n");
    }
  }
}
