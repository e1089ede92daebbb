package dev.edgecache.sample.launcher;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;

/**
 * The runnable edge's access log ({@code --access-log}): a line per request on standard output,
 * in the common log format's order with what a cache adds, e.g.
 * {@code 127.0.0.1 [02/Dec/2026:14:56:27 +0000] "GET /obj HTTP/1.1" 200 4096 512us "edgecache; hit"}:
 * the client, when, the request line, the status, the body bytes sent, the time to the end of
 * the response, and the {@code Cache-Status} the client got.
 */
final class AccessLog {
  static final String FORMAT = "%{client}a %t \"%r\" %s %O %{us}Tus \"%{Cache-Status}o\"";

  private AccessLog() {}

  static RequestLog toStandardOutput() {
    return new CustomRequestLog(System.out::println, FORMAT);
  }
}
