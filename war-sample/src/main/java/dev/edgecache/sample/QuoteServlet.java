package dev.edgecache.sample;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /quote?sku=S}: a page that is never stored by HTTP ({@code no-store}), but whose costly
 * part, {@link QuoteService#quote}, is cached by {@code @EdgeCached}: the computation number
 * stays the same for 10 s however often the page is asked for.
 */
public class QuoteServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject
  transient QuoteService quotes;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String sku = req.getParameter("sku") == null ? "widget" : req.getParameter("sku").replaceAll("[^A-Za-z0-9_-]", "");
    res.setHeader("Cache-Control", "no-store");
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().println(quotes.quote(sku));
  }
}
