package dev.edgecache.it.containers;

/** The call-order matrix on Jetty, where it runs whole in the {@code matrix-full} profile. */
class JettyMatrixTest extends CallOrderMatrix {
  @Override
  EmbeddedContainer.Kind kind() {
    return JettyContainer::new;
  }

  @Override
  boolean runsFullProduct() {
    return true;
  }
}
