package dev.edgecache.it.containers;

/** The container specification on Jetty. */
class JettySpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return JettyContainer::new;
  }
}
