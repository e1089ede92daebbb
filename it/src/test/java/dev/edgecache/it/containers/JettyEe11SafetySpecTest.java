package dev.edgecache.it.containers;

/** The safety rules on Jetty's ee11 environment (Servlet 6.1). */
class JettyEe11SafetySpecTest extends ContainerSafetySpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return JettyEe11Container::new;
  }
}
