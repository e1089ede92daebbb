package dev.edgecache.it.containers;

/** The safety rules on Undertow. */
class UndertowSafetySpecTest extends ContainerSafetySpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return UndertowContainer::new;
  }
}
