package dev.edgecache.sample;

import jakarta.inject.Inject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /download?mb=N}: N MiB (64 by default, at most 1024), written in 64 KiB pieces at about
 * 50 MiB/s, cacheable for an hour. On a miss the client receives the first bytes at once while
 * the rest are written to it and to the cache together; a second client arriving meanwhile
 * streams the same bytes as they come; later ones get a hit at full speed.
 */
public class DownloadServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final int PIECE = 64 * 1024;

  @Inject
  transient Counter counter;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    int mb;
    try {
      mb = req.getParameter("mb") == null ? 64 : Integer.parseInt(req.getParameter("mb"));
    } catch (NumberFormatException e) {
      mb = -1;
    }
    if (mb < 1 || mb > 1024) {
      res.sendError(400, "mb must be from 1 to 1024");
      return;
    }
    counter.next("download");
    long length = (long) mb * 1024 * 1024;
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.setContentType("application/octet-stream");
    res.setContentLengthLong(length);
    byte[] piece = new byte[PIECE];
    for (int i = 0; i < PIECE; i++) {
      piece[i] = (byte) i; // a pattern a client can check: byte k of the body is (k mod 256)
    }
    ServletOutputStream out = res.getOutputStream();
    for (long sent = 0; sent < length; sent += PIECE) {
      out.write(piece);
      if ((sent / PIECE) % 16 == 15) {
        out.flush();
        try {
          Thread.sleep(20); // 1 MiB per 20 ms: slow enough to watch the stream
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
