package dev.edgecache.it.containers;

/** The call-order matrix on Tomcat. */
class TomcatMatrixTest extends CallOrderMatrix {
  @Override
  EmbeddedContainer.Kind kind() {
    return TomcatContainer::new;
  }
}
