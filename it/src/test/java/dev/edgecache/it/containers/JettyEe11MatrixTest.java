package dev.edgecache.it.containers;

/**
 * The call-order matrix on Jetty's ee11 environment (Servlet 6.1), which also runs whole when
 * asked: {@code mvn -B -pl it surefire:test@jetty-ee11 -Dmatrix.full=true}.
 */
class JettyEe11MatrixTest extends CallOrderMatrix {
  @Override
  EmbeddedContainer.Kind kind() {
    return JettyEe11Container::new;
  }

  @Override
  boolean runsFullProduct() {
    return true;
  }
}
