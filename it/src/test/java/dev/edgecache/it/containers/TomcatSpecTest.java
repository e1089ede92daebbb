package dev.edgecache.it.containers;

/**
 * The container specification on Tomcat: 10.1 in the default test run, 11 in the {@code tomcat-11}
 * run (see the module's pom), which prints the version it started.
 */
class TomcatSpecTest extends ContainerSpec {
  @Override
  EmbeddedContainer.Kind kind() {
    return TomcatContainer::new;
  }
}
