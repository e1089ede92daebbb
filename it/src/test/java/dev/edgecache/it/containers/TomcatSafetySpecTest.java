package dev.edgecache.it.containers;

/** The safety rules on Tomcat. */
class TomcatSafetySpecTest extends ContainerSafetySpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return TomcatContainer::new;
  }
}
