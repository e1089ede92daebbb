package dev.edgecache.it.containers;

/** The container specification on Tomcat. */
class TomcatSpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return TomcatContainer::new;
  }
}
