package dev.edgecache.sample;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /personal?name=N}: a page for one visitor, which the edge must never store or serve to
 * anyone else: {@code Cache-Control: private} and a {@code Set-Cookie}. {@code Cache-Status}
 * shows {@code fwd=uri-miss} and no {@code stored}, every time.
 */
public class PersonalServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String name = req.getParameter("name");
    if (name == null && req.getCookies() != null) {
      for (Cookie c : req.getCookies()) {
        if (c.getName().equals("visitor")) {
          name = c.getValue();
        }
      }
    }
    name = name == null ? "stranger" : name.replaceAll("[^A-Za-z0-9_-]", "");
    Cookie cookie = new Cookie("visitor", name);
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    res.addCookie(cookie);
    res.setHeader("Cache-Control", "private, max-age=60");
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().printf("hello, %s%n", name);
  }
}
