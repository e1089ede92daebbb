package dev.edgecache.it.containers;

/** The container specification on Jetty's ee11 environment (Servlet 6.1). */
class JettyEe11SpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return JettyEe11Container::new;
  }
}
