package dev.edgecache.it.containers;

/** The call-order matrix on Undertow. */
class UndertowMatrixTest extends CallOrderMatrix {
  @Override
  EmbeddedContainer.Kind kind() {
    return UndertowContainer::new;
  }
}
