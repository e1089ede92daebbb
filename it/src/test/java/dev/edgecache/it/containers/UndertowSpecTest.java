package dev.edgecache.it.containers;

/** The container specification on Undertow. */
class UndertowSpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return UndertowContainer::new;
  }
}
