package dev.edgecache.it.containers;

/** The safety rules on Jetty. */
class JettySafetySpecTest extends ContainerSafetySpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return JettyContainer::new;
  }
}
